"""WSGI shims around moto's server app for what the AWS provider needs and moto 5.2 lacks.

Each shim is small and exists because a real `terraform apply` against moto failed without it:

1. application-autoscaling TagResource / UntagResource / ListTagsForResource, and the Tags
   of RegisterScalableTarget: moto keeps no tags on scalable targets and answers the
   ListTagsForResource that the provider sends after every create and refresh with an
   error, so aws_appautoscaling_target could never be applied. Tags live on moto's own
   target object, so they vanish with DeregisterScalableTarget.
2. S3 PutObject with `If-None-Match: *` is check-then-write in moto's threaded server;
   terraform's S3 lock (use_lockfile) relies on that write being atomic, so two applies
   started together could both "get" the lock. Those writes are serialized here.
3. ECS services: moto drops `availabilityZoneRebalancing` and `healthCheckGracePeriodSeconds`,
   so every plan after an apply showed them as changes. The values sent on
   CreateService/UpdateService are echoed back on that service in ECS responses.

patch_models() adjusts moto models in-process (the launcher calls it once):

4. RDS parameters set through a parameter group lack `Source: user`; the provider keeps
   only user-sourced parameters, so each plan re-added every `parameter` block.
5. ELBv2 load balancers start "provisioning" and flip to "active" only after a describe
   has answered "provisioning", which cost each ALB create an extra provider poll (10 s).
   They are made active at creation, as the state manager does for other models. (The
   remaining ~60 s of an ALB create are the provider's two fixed 30 s waiter delays.)
6. S3 bucket policies: moto treats a statement whose Condition does not hold as a match
   (so the state bucket's "Deny unless aws:SecureTransport" denied every request) and knows
   no request context. The local endpoint stands in for AWS's HTTPS endpoint, so
   aws:SecureTransport is evaluated as true: such Deny statements drop out, other
   statements are evaluated by moto as before.
7. Security group rules that reference another group lose their description in moto's
   DescribeSecurityGroupRules, so each plan re-added it on such
   aws_vpc_security_group_ingress_rule resources.
8. Aurora clusters: generator/localaws/rds_cluster_shims.py (empty ScalingConfigurationInfo,
   forgotten Performance Insights).
11. ElastiCache user groups, 12. replication-group member clusters: generator/localaws/elasticache_shims.py.
13. SQS RedrivePolicy answered as compact JSON: generator/localaws/sqs_shims.py.
14. API Gateway v2 custom domains available, with target and zone: generator/localaws/apigw_shims.py.
"""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Callable, Iterable
from typing import Any

Environ = dict[str, Any]
StartResponse = Callable[..., Any]
WsgiApp = Callable[[Environ, StartResponse], Iterable[bytes]]

AUTOSCALING_TARGET_PREFIX = "AnyScaleFrontendService."
ECS_TARGET_PREFIX = "AmazonEC2ContainerServiceV20141113."
# Service fields moto drops -> the value AWS reports when the request left them out.
ECHOED_SERVICE_FIELDS: dict[str, object] = {
    "availabilityZoneRebalancing": "DISABLED",
    "healthCheckGracePeriodSeconds": None,
}
_JSON = [("Content-Type", "application/x-amz-json-1.1")]


class ShimMiddleware:
    """Wraps moto's DomainDispatcherApplication; passes everything else through untouched."""

    def __init__(self, app: WsgiApp) -> None:
        self.app = app
        self._conditional_put = threading.Lock()
        self._service_fields: dict[str, dict[str, object]] = {}

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        if target.startswith(AUTOSCALING_TARGET_PREFIX):
            action = target.removeprefix(AUTOSCALING_TARGET_PREFIX)
            handler = _TAG_HANDLERS.get(action)
            if handler is not None:
                return _respond(start_response, *handler(_read_json(environ)))
            if action == "RegisterScalableTarget":
                return self._register_with_tags(environ, start_response)
        if target.startswith(ECS_TARGET_PREFIX):
            return self._ecs_echo(target.removeprefix(ECS_TARGET_PREFIX), environ, start_response)
        if environ.get("REQUEST_METHOD") == "PUT" and environ.get("HTTP_IF_NONE_MATCH") == "*":
            with self._conditional_put:
                return list(self.app(environ, start_response))
        return self.app(environ, start_response)

    def _register_with_tags(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        request = _read_json(environ)
        status, headers, body = _call(self.app, environ)
        start_response(status, headers)
        if status.startswith("200") and request.get("Tags"):
            arn = json.loads(body or b"{}").get("ScalableTargetARN", "")
            target = find_scalable_target(arn)
            if target is not None:
                _tags_of(target).update(request["Tags"])
        return [body]

    def _ecs_echo(self, action: str, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        request = _read_json(environ)
        status, headers, body = _call(self.app, environ)
        try:
            reply = json.loads(body or b"{}")
        except ValueError:
            reply = None
        services = _services_in(reply)
        if status.startswith("200") and services:
            if action in ("CreateService", "UpdateService"):
                sent = {k: request[k] for k in ECHOED_SERVICE_FIELDS if request.get(k) is not None}
                known = self._service_fields.setdefault(services[0].get("serviceArn", ""), {})
                known.update(sent)
            for service in services:
                known = self._service_fields.get(service.get("serviceArn", ""), {})
                for key, default in ECHOED_SERVICE_FIELDS.items():
                    value = known.get(key, default)
                    if value is not None and key not in service:
                        service[key] = value
            body = json.dumps(reply).encode()
            headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
            headers.append(("Content-Length", str(len(body))))
        start_response(status, headers)
        return [body]


def _call(app: WsgiApp, environ: Environ) -> tuple[str, list[tuple[str, str]], bytes]:
    captured: dict[str, Any] = {}

    def capture(status: str, headers: list[tuple[str, str]], *_: Any) -> Callable[[bytes], None]:
        captured["status"], captured["headers"] = status, list(headers)
        return lambda _data: None

    body = b"".join(app(environ, capture))
    return captured["status"], captured["headers"], body


def _services_in(reply: Any) -> list[dict[str, Any]]:
    if not isinstance(reply, dict):
        return []
    if isinstance(reply.get("service"), dict):
        return [reply["service"]]
    return [s for s in reply.get("services") or [] if isinstance(s, dict)]


def patch_models() -> None:
    """In-process fixes to moto models (see the module docstring, items 4 and 5)."""
    from moto.elbv2.models import ELBv2Backend
    from moto.rds.models import DBParameterGroup

    original_update = DBParameterGroup.update_parameters

    def update_parameters(self: Any, new_parameters: Iterable[dict[str, Any]]) -> None:
        new_parameters = list(new_parameters)
        original_update(self, new_parameters)
        for parameter in new_parameters:
            self.parameters[parameter["ParameterName"]].setdefault("Source", "user")

    original_create = ELBv2Backend.create_load_balancer

    def create_load_balancer(self: Any, *args: Any, **kwargs: Any) -> Any:
        balancer = original_create(self, *args, **kwargs)
        balancer.activate()
        return balancer

    from moto.iam.access_control import IAMPolicy, PermissionResult
    from moto.s3.models import FakeBucket

    def get_permission(self: Any, action: str, resource: str) -> Any:
        if self.policy is None:
            return PermissionResult.NEUTRAL
        return IAMPolicy(policy_as_if_tls(self.policy)).is_action_permitted(action, resource)

    from moto.ec2.models.security_groups import SecurityGroupRule

    def description(self: Any) -> str | None:
        return self.ip_range.get("Description") or (self.source_group or {}).get("Description")

    from generator.localaws.rds_cluster_shims import patch_rds_clusters

    patch_rds_clusters()  # Aurora: see that module
    FakeBucket.get_permission = get_permission  # type: ignore[method-assign]
    SecurityGroupRule.description = property(description)  # type: ignore[method-assign,assignment]
    DBParameterGroup.update_parameters = update_parameters  # type: ignore[method-assign]
    ELBv2Backend.create_load_balancer = create_load_balancer  # type: ignore[method-assign]


def policy_as_if_tls(policy: bytes | str) -> str:
    """The bucket policy with aws:SecureTransport conditions resolved for a TLS request."""
    document = json.loads(policy)
    statements = document.get("Statement") or []
    kept = []
    for statement in statements if isinstance(statements, list) else [statements]:
        condition = statement.get("Condition") or {}
        flags = condition.get("Bool") or {}
        if "aws:SecureTransport" not in flags:
            kept.append(statement)
            continue
        if str(flags["aws:SecureTransport"]).lower() != "true":
            continue  # "only when not TLS": never applies
        rest = {k: v for k, v in flags.items() if k != "aws:SecureTransport"}
        condition = {**condition, "Bool": rest} if rest else {k: v for k, v in condition.items() if k != "Bool"}
        kept.append(
            {**statement, "Condition": condition}
            if condition
            else {k: v for k, v in statement.items() if k != "Condition"}
        )
    return json.dumps({**document, "Statement": kept})


def _read_json(environ: Environ) -> dict[str, Any]:
    """Read the request body and put it back so the wrapped app can read it again."""
    length = int(environ.get("CONTENT_LENGTH") or 0)
    raw = environ["wsgi.input"].read(length) if length else b""
    environ["wsgi.input"] = io.BytesIO(raw)
    environ["CONTENT_LENGTH"] = str(len(raw))
    try:
        parsed = json.loads(raw or b"{}")
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def _respond(start_response: StartResponse, status: int, payload: dict[str, Any]) -> list[bytes]:
    body = json.dumps(payload).encode()
    reason = "OK" if status == 200 else "Bad Request"
    start_response(f"{status} {reason}", [*_JSON, ("Content-Length", str(len(body)))])
    return [body]


def find_scalable_target(arn: str) -> Any | None:
    """moto's FakeScalableTarget with this ARN (account and region are read from the ARN)."""
    from moto.applicationautoscaling.models import applicationautoscaling_backends

    parts = arn.split(":")
    if len(parts) < 6 or parts[2] != "application-autoscaling":
        return None
    region, account = parts[3], parts[4]
    backend = applicationautoscaling_backends[account][region]
    for by_resource in backend.targets.values():
        for target in by_resource.values():
            if target.arn == arn:
                return target
    return None


def _tags_of(target: Any) -> dict[str, str]:
    if not hasattr(target, "hclgen_tags"):
        target.hclgen_tags = {}
    return target.hclgen_tags  # type: ignore[no-any-return]


def _not_found(arn: str) -> tuple[int, dict[str, Any]]:
    return 400, {"__type": "ResourceNotFoundException", "message": f"No scalable target found for {arn}"}


def _list_tags(request: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    arn = request.get("ResourceARN", "")
    target = find_scalable_target(arn)
    return (200, {"Tags": dict(_tags_of(target))}) if target is not None else _not_found(arn)


def _tag(request: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    arn = request.get("ResourceARN", "")
    target = find_scalable_target(arn)
    if target is None:
        return _not_found(arn)
    _tags_of(target).update(request.get("Tags") or {})
    return 200, {}


def _untag(request: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    arn = request.get("ResourceARN", "")
    target = find_scalable_target(arn)
    if target is None:
        return _not_found(arn)
    for key in request.get("TagKeys") or []:
        _tags_of(target).pop(key, None)
    return 200, {}


_TAG_HANDLERS: dict[str, Callable[[dict[str, Any]], tuple[int, dict[str, Any]]]] = {
    "ListTagsForResource": _list_tags,
    "TagResource": _tag,
    "UntagResource": _untag,
}
