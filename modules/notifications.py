"""The alarm topic of an environment: SNS encrypted with its own KMS key, email/HTTPS/Slack subscribers."""

from __future__ import annotations

from dataclasses import dataclass, field

from generator import validate
from generator.cdk import (
    ChatbotSlackChannelConfiguration,
    Construct,
    IamRole,
    IamRolePolicyAttachment,
    KmsAlias,
    KmsKey,
    SnsTopic,
    SnsTopicSubscription,
    tracked,
)
from generator.errors import InputError
from generator.jsonenc import terraform_json

MODULE = "notifications"
_CHATBOT_POLICY = "arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess"


@dataclass(frozen=True, kw_only=True)
class SlackChannel:
    """A Slack channel that AWS Chatbot posts alarms to.

    workspace_id: the Slack workspace (team) ID, authorised once in the AWS Chatbot console ("T0123ABCD").
    channel_id: the channel ID ("C0123ABCD"); invite @aws to the channel.
    """

    workspace_id: str
    channel_id: str

    def __post_init__(self) -> None:
        validate.matches(MODULE, "slack.workspace_id", self.workspace_id, r"T[A-Z0-9]{6,}", "a Slack workspace ID")
        validate.matches(MODULE, "slack.channel_id", self.channel_id, r"[CG][A-Z0-9]{6,}", "a Slack channel ID")


@dataclass(frozen=True, kw_only=True)
class NotificationInputs:
    """Who hears about alarms.

    emails: addresses subscribed by email (each must confirm the subscription mail once).
    https_endpoints: HTTPS URLs that receive the SNS JSON notifications (e.g. a webhook relay for Slack,
      Teams or PagerDuty; the endpoint must confirm the subscription by visiting SubscribeURL).
    slack: post to a Slack channel through AWS Chatbot (the supported way; no webhook secrets in state).
    """

    emails: tuple[str, ...] = ()
    https_endpoints: tuple[str, ...] = ()
    slack: SlackChannel | None = None
    tags: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for email in self.emails:
            validate.matches(MODULE, "emails", email, r"[^@\s]+@[^@\s]+\.[^@\s]+", "an email address")
        for url in self.https_endpoints:
            validate.matches(MODULE, "https_endpoints", url, r"https://[^\s]+", "an https:// URL")
        if len(set(self.emails)) != len(self.emails) or len(set(self.https_endpoints)) != len(self.https_endpoints):
            raise InputError("emails", "each subscriber may be listed once", module=MODULE)


class Notifications(Construct):
    """Outputs: topic_arn."""

    def __init__(self, scope: Construct, id_: str, inputs: NotificationInputs, *, name: str, account_id: str) -> None:
        super().__init__(scope, id_)
        # CloudWatch cannot publish to a topic encrypted with the AWS-managed aws/sns key: it needs a key
        # whose policy lets cloudwatch.amazonaws.com use it.
        key = tracked(
            KmsKey(
                self,
                "alarms",
                description=f"Encrypts the alarm topic of {name}",
                enable_key_rotation=True,
                deletion_window_in_days=7,
                policy=self._key_policy(account_id),
                tags={"Name": f"{name}-alarms", **inputs.tags},
            )
        )
        tracked(KmsAlias(self, "alarms_alias", name=f"alias/{name}-alarms", target_key_id=key.key_id), "alarms")
        topic = tracked(
            SnsTopic(
                self,
                "topic",
                name=f"{name}-alarms",
                kms_master_key_id=key.arn,
                tags={"Name": f"{name}-alarms", **inputs.tags},
            ),
            "alarms",
        )
        self.topic_arn: str = topic.arn
        for index, email in enumerate(inputs.emails):
            tracked(
                SnsTopicSubscription(
                    self, f"email_{index + 1}", topic_arn=self.topic_arn, protocol="email", endpoint=email
                )
            )
        for index, url in enumerate(inputs.https_endpoints):
            tracked(
                SnsTopicSubscription(
                    self,
                    f"https_{index + 1}",
                    topic_arn=self.topic_arn,
                    protocol="https",
                    endpoint=url,
                    endpoint_auto_confirms=False,
                )
            )
        if inputs.slack is not None:
            self._slack(inputs.slack, name, inputs.tags)

    @staticmethod
    def _key_policy(account_id: str) -> str:
        return terraform_json(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "AccountAdministers",
                        "Effect": "Allow",
                        "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"},
                        "Action": "kms:*",
                        "Resource": "*",
                    },
                    {
                        "Sid": "CloudWatchPublishes",
                        "Effect": "Allow",
                        "Principal": {"Service": "cloudwatch.amazonaws.com"},
                        "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
                        "Resource": "*",
                    },
                ],
            }
        )

    def _slack(self, slack: SlackChannel, name: str, tags: dict[str, str]) -> None:
        trust = {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "chatbot.amazonaws.com"}}
            ],
        }
        role = tracked(
            IamRole(
                self,
                "chatbot",
                name=f"{name}-chatbot",
                description="AWS Chatbot posting alarms",
                assume_role_policy=terraform_json(trust),
                tags={"Name": f"{name}-chatbot", **tags},
            )
        )
        tracked(IamRolePolicyAttachment(self, "chatbot_read", role=role.name, policy_arn=_CHATBOT_POLICY))
        tracked(
            ChatbotSlackChannelConfiguration(
                self,
                "slack",
                configuration_name=f"{name}-alarms",
                iam_role_arn=role.arn,
                slack_team_id=slack.workspace_id,
                slack_channel_id=slack.channel_id,
                sns_topic_arns=[self.topic_arn],
                guardrail_policy_arns=[_CHATBOT_POLICY],
                logging_level="ERROR",
                tags={"Name": f"{name}-alarms", **tags},
            )
        )
