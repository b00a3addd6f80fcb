"""modules/apigw.py: the HTTP API in front of the ALB (VPC link) or a queue (SendMessage), custom domain."""

from __future__ import annotations

import pytest

from generator.errors import InputError
from modules.apigw import ApiInputs
from tests.support.resstack import Applied


@pytest.mark.parametrize(
    ("build", "field", "words"),
    [
        (lambda: ApiInputs(routes=("/uploads",)), "routes", "a route key like"),
        (lambda: ApiInputs(routes=("GET /a", "GET /a")), "routes", "listed twice"),
        (lambda: ApiInputs(stages=()), "stages", "one or more distinct"),
        (lambda: ApiInputs(domain_name="api.example.com"), "certificate_arn", "both domain_name and certificate_arn"),
        (lambda: ApiInputs(throttle_rate=0), "throttle_rate", "from 1 to 10000"),
        (lambda: ApiInputs(target="lambda"), "target", "must be one of"),  # type: ignore[arg-type]
    ],
)
def test_bad_api_inputs_name_the_field_and_the_fix(build: object, field: str, words: str) -> None:
    with pytest.raises(InputError) as caught:
        build()  # type: ignore[operator]
    assert caught.value.field == field and words in caught.value.message


def test_default_routes_follow_the_target() -> None:
    assert ApiInputs().route_keys == ("ANY /{proxy+}",)
    assert ApiInputs(target="sqs").route_keys == ("POST /messages",)


def test_rendered_api_throttles_logs_and_reaches_the_alb_through_a_vpc_link(
    res_files: dict[str, str], res_validated: dict[str, object]
) -> None:
    assert res_validated["valid"] is True, res_validated
    api = res_files["api.tf"]
    for needle in (
        'connection_type        = "VPC_LINK"',
        "integration_uri        = aws_lb_listener.http.arn",
        "throttling_burst_limit   = 50",
        "throttling_rate_limit    = 20",
        "destination_arn = aws_cloudwatch_log_group.api_access.arn",
        'name        = "v1"',
        "referenced_security_group_id = aws_security_group.api_vpc_link.id",
    ):
        assert needle in api, needle
    intake = res_files["intake.tf"]
    assert 'integration_subtype    = "SQS-SendMessage"' in intake and "QueueUrl    = aws_sqs_queue.images.url" in intake
    assert 'Action   = ["sqs:GetQueueUrl", "sqs:SendMessage"]' in intake  # the role sends to that queue only
    assert "Resource = aws_sqs_queue.images.arn" in intake
    assert 'domain_name = "events.example.com"' in intake and 'endpoint_type   = "REGIONAL"' in intake
    assert "stage       = aws_apigatewayv2_stage.intake_default.id" in intake


def test_the_diagram_draws_the_api_in_front_of_the_alb_and_the_queue(res_files: dict[str, str]) -> None:
    diagram = res_files["ARCHITECTURE.md"]
    assert "API Gateway" in diagram and "VPC link" in diagram and "SendMessage" in diagram


@pytest.mark.e2e
@pytest.mark.terraform
def test_apis_apply_with_stages_routes_and_vpc_link(res_applied: Applied) -> None:
    client = res_applied.client("apigatewayv2")
    apis = {api["Name"]: api for api in client.get_apis()["Items"]}
    assert set(apis) == {"acme-res", "acme-res-intake"}
    stages = {s["StageName"]: s for s in client.get_stages(ApiId=apis["acme-res"]["ApiId"])["Items"]}
    assert set(stages) == {"$default", "v1"}
    assert stages["v1"]["DefaultRouteSettings"]["ThrottlingBurstLimit"] == 50
    routes = [r["RouteKey"] for r in client.get_routes(ApiId=apis["acme-res-intake"]["ApiId"])["Items"]]
    assert routes == ["POST /events"]
    assert [link["Name"] for link in client.get_vpc_links()["Items"]] == ["acme-res"]
    (mapping,) = client.get_api_mappings(DomainName="events.example.com")["Items"]
    assert mapping["ApiId"] == apis["acme-res-intake"]["ApiId"] and mapping["Stage"] == "$default"


def test_an_internal_alb_behind_the_api_has_no_public_address() -> None:
    from generator.cdk import App, TerraformStack
    from modules.alb import Alb, AlbInputs

    stack = TerraformStack(App(), "probe")
    alb = Alb(
        stack,
        "alb",
        AlbInputs(internal=True, ingress_cidrs=("10.0.0.0/18",)),
        name="acme-dev",
        vpc_id="vpc-1",
        vpc_cidr="10.0.0.0/18",
        subnet_ids=["subnet-private-a", "subnet-private-b"],
        target_port=8000,
    )
    synthesized = stack.to_terraform()["resource"]["aws_lb"]
    (lb,) = synthesized.values()
    assert lb["internal"] is True and lb["subnets"] == ["subnet-private-a", "subnet-private-b"]
    assert alb.security_group_id
