"""Inputs of the API module: the HTTP API's settings (ApiInputs), the ALB it forwards to, the access log line."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from generator import validate
from generator.errors import InputError
from generator.jsonenc import terraform_json

MODULE = "api"
_ROUTE = r"(\$default|(ANY|GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) /[A-Za-z0-9._~{}+/-]*)"
_STAGE = r"\$default|[A-Za-z0-9_-]{1,128}"

# One JSON line per request in the access log ($context variables of HTTP APIs).
ACCESS_LOG_FORMAT = terraform_json(
    {
        "requestId": "$context.requestId",
        "ip": "$context.identity.sourceIp",
        "time": "$context.requestTime",
        "method": "$context.httpMethod",
        "route": "$context.routeKey",
        "status": "$context.status",
        "latency": "$context.responseLatency",
        "integrationLatency": "$context.integrationLatency",
        "integrationError": "$context.integrationErrorMessage",
        "length": "$context.responseLength",
    }
)


@dataclass(frozen=True, kw_only=True)
class ApiInputs:
    """The HTTP API.

    target: "alb" (every route to the ALB listener through a VPC link) or "sqs" (routes send the request
      body to a queue).
    routes: route keys ("ANY /{proxy+}", "POST /uploads", "$default"); () = "ANY /{proxy+}" for the ALB,
      "POST /messages" for a queue.
    stages: stage names, each auto-deployed with the same throttling and access log ("$default": no path prefix).
    throttle_burst / throttle_rate: requests in a burst / per second across the stage (API Gateway's token bucket).
    log_retention_days: retention of the access log group.
    domain_name / certificate_arn: optional custom domain with a regional ACM certificate (both or neither);
      point DNS at domain_target (alias to target_domain_name in hosted_zone_id).
    cors_origins: browser origins allowed to call the API (() = no CORS headers).
    """

    target: Literal["alb", "sqs"] = "alb"
    routes: tuple[str, ...] = ()
    stages: tuple[str, ...] = ("$default",)
    throttle_burst: int = 200
    throttle_rate: int = 100
    log_retention_days: int = 30
    domain_name: str | None = None
    certificate_arn: str | None = None
    cors_origins: tuple[str, ...] = ()
    tags: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        validate.types(self, MODULE)
        validate.one_of(MODULE, "target", self.target, ("alb", "sqs"))
        for route in self.routes:
            validate.matches(MODULE, "routes", route, _ROUTE, "a route key like 'POST /uploads' or '$default'")
        if len(set(self.routes)) != len(self.routes):
            raise InputError("routes", "a route key is listed twice: list each once", module=MODULE)
        if not self.stages or len(set(self.stages)) != len(self.stages):
            raise InputError("stages", "give one or more distinct stage names, e.g. ('$default',)", module=MODULE)
        for stage in self.stages:
            validate.matches(MODULE, "stages", stage, _STAGE, "a stage name ($default or letters, digits, - and _)")
        validate.in_range(MODULE, "throttle_burst", self.throttle_burst, 1, 5000)
        validate.in_range(MODULE, "throttle_rate", self.throttle_rate, 1, 10_000)
        if (self.domain_name is None) != (self.certificate_arn is None):
            raise InputError(
                "certificate_arn",
                "a custom domain needs both domain_name and certificate_arn (an ACM certificate in the API's region)",
                module=MODULE,
            )
        if self.certificate_arn is not None:
            validate.matches(
                MODULE,
                "certificate_arn",
                self.certificate_arn,
                r"arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate/[0-9a-f-]+",
                "an ACM certificate ARN",
            )
        for origin in self.cors_origins:
            validate.matches(
                MODULE,
                "cors_origins",
                origin,
                r"https://[a-z0-9.-]+(:\d+)?|http://localhost(:\d+)?",
                "an https:// origin (or http://localhost)",
            )

    @property
    def route_keys(self) -> tuple[str, ...]:
        return self.routes or (("ANY /{proxy+}",) if self.target == "alb" else ("POST /messages",))


@dataclass(frozen=True)
class AlbTarget:
    """The ALB listener the VPC link forwards to (its security group admits the link on `port`)."""

    listener_arn: str
    security_group_id: str
    port: int
    server_name: str | None = None  # the certificate's name, for an HTTPS listener


def route_slug(route: str) -> str:
    """A route key or stage name as a Terraform name part: "POST /uploads" -> "post_uploads"."""
    return re.sub(r"_+", "_", validate.tf_name(route.replace("$", ""))).strip("_")
