"""The service's DNS name in a Route 53 zone and its ACM certificate, validated by DNS."""

from __future__ import annotations

from dataclasses import dataclass, field

from generator import validate
from generator.cdk import AcmCertificate, AcmCertificateValidation, Construct, Fn, Route53Record, Token, tracked

MODULE = "dns"
_HOST = r"(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}"


@dataclass(frozen=True, kw_only=True)
class DnsInputs:
    """HTTPS name of the service.

    zone_id: ID of the existing public Route 53 hosted zone that holds domain_name ("Z0123456789ABC").
    domain_name: the name the ALB answers on ("api.example.com"); an ACM certificate is requested for it and
      validated by a DNS record in the zone, and an alias record points it at the ALB.
    """

    zone_id: str
    domain_name: str
    tags: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        validate.matches(MODULE, "zone_id", self.zone_id, r"[A-Z0-9]{1,32}", "a Route 53 hosted zone ID")
        validate.matches(MODULE, "domain_name", self.domain_name, _HOST, "a host name like api.example.com")


class Dns(Construct):
    """Outputs: certificate_arn (the validated certificate), zone_id. alias_to() adds the A record."""

    def __init__(self, scope: Construct, id_: str, inputs: DnsInputs, *, name: str) -> None:
        super().__init__(scope, id_)
        self._inputs = inputs
        self.domain_name = inputs.domain_name
        self.zone_id = inputs.zone_id
        certificate = tracked(
            AcmCertificate(
                self,
                "certificate",
                domain_name=inputs.domain_name,
                validation_method="DNS",
                lifecycle={"create_before_destroy": True},
                tags={"Name": inputs.domain_name, **inputs.tags},
            ),
            "this",
        )
        # One name, one validation record: index the set through tolist() instead of a for_each.
        option = Fn.element(certificate.domain_validation_options, 0)
        record = tracked(
            Route53Record(
                self,
                "validation",
                zone_id=self.zone_id,
                allow_overwrite=True,
                ttl=60,
                name=Token.as_string(Fn.lookup(option, "resource_record_name", None)),
                type=Token.as_string(Fn.lookup(option, "resource_record_type", None)),
                records=[Token.as_string(Fn.lookup(option, "resource_record_value", None))],
            ),
            "certificate_validation",
        )
        validation = tracked(
            AcmCertificateValidation(
                self, "validation_wait", certificate_arn=certificate.arn, validation_record_fqdns=[record.fqdn]
            ),
            "this",
        )
        self.certificate_arn: str = validation.certificate_arn

    def alias_to(self, dns_name: str, zone_id: str) -> None:
        """Point the domain name at the load balancer."""
        tracked(
            Route53Record(
                self,
                "alias",
                zone_id=self.zone_id,
                name=self._inputs.domain_name,
                type="A",
                alias={"name": dns_name, "zone_id": zone_id, "evaluate_target_health": True},
            ),
            "service",
        )
