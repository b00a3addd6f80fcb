"""API Gateway HTTP API in front of the services (seed 004): stages, access logs, throttling, custom domain.

The API is the single public entry point: it throttles, logs every request and forwards either to
the ALB through a VPC link (the ALB can then be internal) or straight to an SQS queue (SendMessage,
with a role allowed to send to that queue only).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator import validate
from generator.cdk import (
    Apigatewayv2Api,
    Apigatewayv2ApiMapping,
    Apigatewayv2DomainName,
    Apigatewayv2Integration,
    Apigatewayv2Route,
    Apigatewayv2Stage,
    Apigatewayv2VpcLink,
    CloudwatchLogGroup,
    Construct,
    IamRole,
    IamRolePolicy,
    SecurityGroup,
    VpcSecurityGroupEgressRule,
    VpcSecurityGroupIngressRule,
    tracked,
)
from generator.errors import InputError
from generator.jsonenc import terraform_json

if TYPE_CHECKING:
    from modules.queue import Queue

from modules.apigw_inputs import ACCESS_LOG_FORMAT as ACCESS_LOG_FORMAT
from modules.apigw_inputs import MODULE as MODULE
from modules.apigw_inputs import AlbTarget as AlbTarget
from modules.apigw_inputs import ApiInputs as ApiInputs
from modules.apigw_inputs import route_slug


class ApiFront(Construct):
    """HTTP API `name`; Terraform names `key` (and `key`_<stage>, `key`_<route>).

    Constructor: with target "alb", `alb` (listener, its security group, port) plus vpc_id and subnet_ids
    (the private subnets the VPC link uses); with target "sqs", `queue`.
    Outputs: api_id, api_endpoint, execution_arn, stage_urls (stage -> invoke URL), log_group_arn,
    api_name, vpc_link_security_group_id (None for sqs), domain_target ((target_domain_name,
    hosted_zone_id) or None).
    """

    def __init__(
        self,
        scope: Construct,
        id_: str,
        inputs: ApiInputs,
        *,
        key: str,
        name: str,
        alb: AlbTarget | None = None,
        queue: Queue | None = None,
        vpc_id: str | None = None,
        subnet_ids: list[str] | None = None,
    ) -> None:
        super().__init__(scope, id_)
        validate.identifier(MODULE, "key", key)
        self.key, self.api_name, self.tags = key, name, inputs.tags
        cors = (
            {
                "allow_origins": list(inputs.cors_origins),
                "allow_methods": ["GET", "POST", "PUT", "DELETE", "OPTIONS"],
                "allow_headers": ["authorization", "content-type"],
                "max_age": 3600,
            }
            if inputs.cors_origins
            else None
        )
        self.api = tracked(
            Apigatewayv2Api(
                self, "api", name=name, protocol_type="HTTP", cors_configuration=cors, tags={"Name": name, **self.tags}
            ),
            key,
        )
        self.api_id: str = self.api.id
        self.api_endpoint: str = self.api.api_endpoint
        self.execution_arn: str = self.api.execution_arn
        self.vpc_link_security_group_id: str | None = None
        if inputs.target == "alb":
            if alb is None or vpc_id is None or not subnet_ids:
                raise InputError(
                    "target", "'alb' needs the ALB listener and private subnets (the stack passes them)", module=MODULE
                )
            integration = self._alb(alb, vpc_id, subnet_ids)
        else:
            if queue is None:
                raise InputError("target", "'sqs' needs a queue: name one the env defines", module=MODULE)
            integration = self._sqs(queue)
        for route in inputs.route_keys:
            tracked(
                Apigatewayv2Route(
                    self,
                    f"route_{route_slug(route)}",
                    api_id=self.api.id,
                    route_key=route,
                    target=f"integrations/{integration.id}",
                ),
                f"{key}_{route_slug(route)}",
            )
        self._stages(inputs)
        self.domain_target = self._domain(inputs)

    def _alb(self, alb: AlbTarget, vpc_id: str, subnet_ids: list[str]) -> Apigatewayv2Integration:
        group = tracked(
            SecurityGroup(
                self,
                "vpc_link_sg",
                name=f"{self.api_name}-vpc-link",
                vpc_id=vpc_id,
                description=f"VPC link of {self.api_name} to the ALB",
                tags={"Name": f"{self.api_name}-vpc-link", **self.tags},
            ),
            f"{self.key}_vpc_link",
        )
        self.vpc_link_security_group_id = group.id
        tracked(
            VpcSecurityGroupEgressRule(
                self,
                "vpc_link_to_alb",
                security_group_id=group.id,
                description="Listener port of the ALB only",
                ip_protocol="tcp",
                from_port=alb.port,
                to_port=alb.port,
                referenced_security_group_id=alb.security_group_id,
            ),
            f"{self.key}_vpc_link_to_alb",
        )
        tracked(
            VpcSecurityGroupIngressRule(
                self,
                "alb_from_vpc_link",
                security_group_id=alb.security_group_id,
                description="From the API's VPC link",
                ip_protocol="tcp",
                from_port=alb.port,
                to_port=alb.port,
                referenced_security_group_id=group.id,
            ),
            f"alb_from_{self.key}_vpc_link",
        )
        link = tracked(
            Apigatewayv2VpcLink(
                self,
                "vpc_link",
                name=self.api_name,
                subnet_ids=subnet_ids,
                security_group_ids=[group.id],
                tags={"Name": self.api_name, **self.tags},
            ),
            self.key,
        )
        return tracked(
            Apigatewayv2Integration(
                self,
                "integration",
                api_id=self.api.id,
                integration_type="HTTP_PROXY",
                integration_method="ANY",
                integration_uri=alb.listener_arn,
                connection_type="VPC_LINK",
                connection_id=link.id,
                payload_format_version="1.0",
                tls_config={"server_name_to_verify": alb.server_name} if alb.server_name else None,
            ),
            self.key,
        )

    def _sqs(self, queue: Queue) -> Apigatewayv2Integration:
        role = tracked(
            IamRole(
                self,
                "role",
                name=f"{self.api_name}-api-sqs",
                description="API Gateway sends to the queue",
                assume_role_policy=terraform_json(
                    {
                        "Version": "2012-10-17",
                        "Statement": [
                            {
                                "Effect": "Allow",
                                "Action": "sts:AssumeRole",
                                "Principal": {"Service": "apigateway.amazonaws.com"},
                            }
                        ],
                    }
                ),
                tags={"Name": f"{self.api_name}-api-sqs", **self.tags},
            ),
            f"{self.key}_api",
        )
        tracked(
            IamRolePolicy(
                self,
                "role_policy",
                name="send-to-queue",
                role=role.id,
                policy=terraform_json({"Version": "2012-10-17", "Statement": queue.send_statements()}),
            ),
            f"{self.key}_api",
        )
        return tracked(
            Apigatewayv2Integration(
                self,
                "integration",
                api_id=self.api.id,
                integration_type="AWS_PROXY",
                integration_subtype="SQS-SendMessage",
                credentials_arn=role.arn,
                payload_format_version="1.0",
                request_parameters={"QueueUrl": queue.url, "MessageBody": "$request.body"},
            ),
            self.key,
        )

    def _stages(self, inputs: ApiInputs) -> None:
        logs = tracked(
            CloudwatchLogGroup(
                self,
                "access_logs",
                name=f"/aws/apigateway/{self.api_name}",
                retention_in_days=inputs.log_retention_days,
                tags={"Name": f"/aws/apigateway/{self.api_name}", **self.tags},
            ),
            f"{self.key}_access",
        )
        self.log_group_arn: str = logs.arn
        self.stage_urls: dict[str, str] = {}
        self.stages: dict[str, Apigatewayv2Stage] = {}
        for stage in inputs.stages:
            slug = route_slug(stage) or "default"
            made = tracked(
                Apigatewayv2Stage(
                    self,
                    f"stage_{slug}",
                    api_id=self.api.id,
                    name=stage,
                    auto_deploy=True,
                    access_log_settings={"destination_arn": logs.arn, "format": ACCESS_LOG_FORMAT},
                    default_route_settings={
                        "throttling_burst_limit": inputs.throttle_burst,
                        "throttling_rate_limit": inputs.throttle_rate,
                        "detailed_metrics_enabled": False,
                    },
                    tags={"Name": f"{self.api_name}-{slug}", **self.tags},
                ),
                f"{self.key}_{slug}",
            )
            self.stage_urls[stage] = made.invoke_url
            self.stages[stage] = made

    def _domain(self, inputs: ApiInputs) -> tuple[str, str] | None:
        if inputs.domain_name is None or inputs.certificate_arn is None:
            return None
        domain = tracked(
            Apigatewayv2DomainName(
                self,
                "domain",
                domain_name=inputs.domain_name,
                domain_name_configuration={
                    "certificate_arn": inputs.certificate_arn,
                    "endpoint_type": "REGIONAL",
                    "security_policy": "TLS_1_2",
                },
                tags={"Name": inputs.domain_name, **self.tags},
            ),
            self.key,
        )
        tracked(
            Apigatewayv2ApiMapping(
                self, "mapping", api_id=self.api.id, domain_name=domain.id, stage=self.stages[inputs.stages[0]].id
            ),
            self.key,
        )
        config = domain.domain_name_configuration
        return config.target_domain_name, config.hosted_zone_id
