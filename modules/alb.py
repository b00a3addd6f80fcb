"""Internet-facing Application Load Balancer in front of one IP target group."""

from __future__ import annotations

from dataclasses import dataclass, field

from generator import validate
from generator.cdk import (
    Construct,
    ITerraformDependable,
    Lb,
    LbAccessLogs,
    LbListener,
    LbListenerDefaultAction,
    LbListenerDefaultActionRedirect,
    LbTargetGroup,
    LbTargetGroupHealthCheck,
    SecurityGroup,
    VpcSecurityGroupEgressRule,
    VpcSecurityGroupIngressRule,
    tracked,
)
from generator.errors import InputError

MODULE = "alb"


@dataclass(frozen=True, kw_only=True)
class AlbInputs:
    """Load balancer settings.

    ingress_cidrs: who may reach the listeners (port 80, and 443 with a certificate).
    certificate_arn: ACM certificate; when set, HTTP redirects to HTTPS and an HTTPS listener serves.
    ssl_policy: TLS policy of the HTTPS listener (TLS 1.2 or newer only).
    health_check_path: path the target group probes; healthy_codes: the accepted HTTP codes.
    deletion_protection: refuse deletion of the ALB through the API.
    idle_timeout: seconds an idle connection stays open (1..4000).
    deregistration_delay: seconds to drain a target before removing it.
    internal: no public address: the ALB sits in the private subnets and is reached from inside the VPC
      only, e.g. through the API front's VPC link (modules/apigw.py); ingress_cidrs then name VPC ranges.
    """

    ingress_cidrs: tuple[str, ...] = ("0.0.0.0/0",)
    certificate_arn: str | None = None
    ssl_policy: str = "ELBSecurityPolicy-TLS13-1-2-2021-06"
    health_check_path: str = "/health"
    healthy_codes: str = "200-399"
    deletion_protection: bool = False
    idle_timeout: int = 60
    deregistration_delay: int = 30
    internal: bool = False
    tags: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        validate.types(self, MODULE)
        if not self.ingress_cidrs:
            raise InputError("ingress_cidrs", "give at least one CIDR", module=MODULE)
        for value in self.ingress_cidrs:
            validate.cidr(MODULE, "ingress_cidrs", value)
        if self.certificate_arn is not None:
            validate.matches(
                MODULE,
                "certificate_arn",
                self.certificate_arn,
                r"arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate/[A-Za-z0-9-]+",
                "an ACM certificate ARN",
            )
        validate.matches(MODULE, "health_check_path", self.health_check_path, r"/[\x21-\x7e]*", "a URL path")
        validate.matches(
            MODULE,
            "healthy_codes",
            self.healthy_codes,
            r"\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*",
            "HTTP codes like 200 or 200-399",
        )
        validate.in_range(MODULE, "idle_timeout", self.idle_timeout, 1, 4000)
        validate.in_range(MODULE, "deregistration_delay", self.deregistration_delay, 0, 3600)
        if not any(marker in self.ssl_policy for marker in ("TLS13", "TLS-1-2", "FS-1-2")):
            raise InputError(
                "ssl_policy",
                f"{self.ssl_policy!r} admits TLS older than 1.2: choose an "
                "ELBSecurityPolicy-TLS13-* or *-TLS-1-2-* policy",
                module=MODULE,
            )


@dataclass(frozen=True)
class AccessLogTarget:
    """Where the ALB writes access logs (set by the stack from the logs module)."""

    bucket: str
    prefix: str
    depends_on: list[ITerraformDependable] = field(default_factory=list)


class Alb(Construct):
    """Outputs: security_group_id, target_group_arn, dns_name, zone_id, arn_suffix, listener."""

    def __init__(
        self,
        scope: Construct,
        id_: str,
        inputs: AlbInputs,
        *,
        name: str,
        vpc_id: str,
        vpc_cidr: str,
        subnet_ids: list[str],
        target_port: int,
        certificate_arn: str | None = None,
        access_logs: AccessLogTarget | None = None,
    ) -> None:
        super().__init__(scope, id_)
        # A certificate made by the stack (ACM, DNS-validated) takes the place of the input's ARN.
        self._certificate_arn = certificate_arn or inputs.certificate_arn
        if len(name) > 32:
            raise InputError("name", f"load balancer name {name!r} is longer than AWS's 32 characters", module=MODULE)
        self.security_group = tracked(
            SecurityGroup(
                self,
                "alb",
                name=f"{name}-alb",
                description=f"Load balancer of {name}",
                vpc_id=vpc_id,
                tags={"Name": f"{name}-alb", **inputs.tags},
            )
        )
        self.security_group_id: str = self.security_group.id
        self._ingress(inputs)
        tracked(
            VpcSecurityGroupEgressRule(
                self,
                "alb_to_targets",
                security_group_id=self.security_group_id,
                description="Targets in the VPC",
                ip_protocol="tcp",
                from_port=target_port,
                to_port=target_port,
                cidr_ipv4=vpc_cidr,
            )
        )
        self.lb = tracked(
            Lb(
                self,
                "this",
                name=name,
                internal=inputs.internal,
                load_balancer_type="application",
                security_groups=[self.security_group_id],
                subnets=subnet_ids,
                enable_deletion_protection=inputs.deletion_protection,
                idle_timeout=inputs.idle_timeout,
                drop_invalid_header_fields=True,
                tags={"Name": name, **inputs.tags},
                access_logs=None
                if access_logs is None
                else LbAccessLogs(bucket=access_logs.bucket, prefix=access_logs.prefix, enabled=True),
                depends_on=None if access_logs is None else access_logs.depends_on,
            )
        )
        self.target_group = tracked(
            LbTargetGroup(
                self,
                "target_group",
                name=name,
                port=target_port,
                protocol="HTTP",
                target_type="ip",
                vpc_id=vpc_id,
                deregistration_delay=str(inputs.deregistration_delay),
                health_check=LbTargetGroupHealthCheck(
                    enabled=True,
                    path=inputs.health_check_path,
                    matcher=inputs.healthy_codes,
                    interval=15,
                    timeout=5,
                    healthy_threshold=2,
                    unhealthy_threshold=3,
                ),
                tags={"Name": name, **inputs.tags},
            ),
            "this",
        )
        self.target_group_arn: str = self.target_group.arn
        self.listener = self._listeners(inputs)
        self.dns_name: str = self.lb.dns_name
        self.zone_id: str = self.lb.zone_id
        self.arn_suffix: str = self.lb.arn_suffix
        self.arn: str = self.lb.arn
        self.target_group_arn_suffix: str = self.target_group.arn_suffix

    def _ingress(self, inputs: AlbInputs) -> None:
        ports = [("http", 80)] + ([("https", 443)] if self._certificate_arn else [])
        for label, port in ports:
            for index, cidr in enumerate(inputs.ingress_cidrs):
                suffix = "" if len(inputs.ingress_cidrs) == 1 else f"_{index + 1}"
                tracked(
                    VpcSecurityGroupIngressRule(
                        self,
                        f"alb_{label}{suffix}",
                        security_group_id=self.security_group_id,
                        description=f"{label.upper()} from {cidr}",
                        ip_protocol="tcp",
                        from_port=port,
                        to_port=port,
                        cidr_ipv4=cidr,
                    )
                )

    def _listeners(self, inputs: AlbInputs) -> LbListener:
        forward = LbListenerDefaultAction(type="forward", target_group_arn=self.target_group_arn)
        if self._certificate_arn is None:
            return tracked(
                LbListener(
                    self, "http", load_balancer_arn=self.lb.arn, port=80, protocol="HTTP", default_action=[forward]
                )
            )
        redirect = LbListenerDefaultAction(
            type="redirect",
            redirect=LbListenerDefaultActionRedirect(port="443", protocol="HTTPS", status_code="HTTP_301"),
        )
        tracked(
            LbListener(self, "http", load_balancer_arn=self.lb.arn, port=80, protocol="HTTP", default_action=[redirect])
        )
        return tracked(
            LbListener(
                self,
                "https",
                load_balancer_arn=self.lb.arn,
                port=443,
                protocol="HTTPS",
                ssl_policy=inputs.ssl_policy,
                certificate_arn=self._certificate_arn,
                default_action=[forward],
            )
        )
