"""moto 5.2 fixes for ElastiCache (shims 11 and 12), found applying modules/redis.py to the local AWS.

moto has ElastiCache users and replication groups but no user groups: CreateUserGroup answered
"not implemented" and the provider retried it until its 10-minute timeout, so a cache with IAM
authentication (users in a user group, no password anywhere) could never be applied locally.
CreateUserGroup, DescribeUserGroups, ModifyUserGroup and DeleteUserGroup are added to moto's
ElastiCache handler; groups live on the region's backend and are active at once, as other moto
models are. Their tags go through the backend's tagging service, whose ARN check is widened to
user groups (the provider lists a group's tags after every create and refresh).

12. A replication group names its member clusters (<id>-001, -002...) but moto never creates them,
    and the provider reads the first one after every create ("CacheClusterNotFound") for the
    group's encryption, minor-upgrade and security-group settings. They are created with the
    group's settings, and removed with it; a deleted group is gone at once (moto kept it
    "deleting" forever, so a destroy waited until its timeout). moto also made one member whatever
    NumCacheClusters asked (the count follows it now) and answered no ReaderEndpoint.
"""

from __future__ import annotations

import inspect
from typing import Any


def _groups(backend: Any) -> dict[str, dict[str, Any]]:
    groups: dict[str, dict[str, Any]] = backend.__dict__.setdefault("hclgen_user_groups", {})
    return groups


def _view(backend: Any, group: dict[str, Any]) -> dict[str, Any]:
    replication_groups = sorted(
        rg_id for rg_id, rg in backend.replication_groups.items() if group["UserGroupId"] in (rg.user_group_ids or [])
    )
    return {**group, "ReplicationGroups": replication_groups, "ServerlessCaches": []}


def _set_members(backend: Any, group_id: str, old: list[str], new: list[str]) -> None:
    for user_id in set(old) - set(new):
        if user_id in backend.users and group_id in backend.users[user_id].user_group_ids:
            backend.users[user_id].user_group_ids.remove(group_id)
    for user_id in set(new) - set(old):
        if user_id in backend.users:
            backend.users[user_id].user_group_ids.append(group_id)


def _errors() -> tuple[type[Exception], type[Exception], type[Exception]]:
    from moto.elasticache.exceptions import ElastiCacheException, UserNotFound

    class UserGroupNotFound(ElastiCacheException):
        code = "UserGroupNotFound"

    class UserGroupAlreadyExists(ElastiCacheException):
        code = "UserGroupAlreadyExists"

    return UserGroupNotFound, UserGroupAlreadyExists, UserNotFound


def patch_elasticache_user_groups() -> None:
    from moto.core.responses import ActionResult
    from moto.elasticache.models import ElastiCacheBackend
    from moto.elasticache.responses import ElastiCacheResponse

    not_found, exists, user_not_found = _errors()

    def check_users(backend: Any, user_ids: list[str]) -> None:
        for user_id in user_ids:
            if user_id not in backend.users:
                raise user_not_found(user_id)

    def create_user_group(self: Any) -> Any:
        params, backend = self._get_params(), self.elasticache_backend
        group_id = str(params["UserGroupId"]).lower()
        if group_id in _groups(backend):
            raise exists(f"User group {group_id} already exists.")
        user_ids = list(params.get("UserIds") or [])
        check_users(backend, user_ids)
        arn = f"arn:aws:elasticache:{backend.region_name}:{backend.account_id}:usergroup:{group_id}"
        group = {
            "UserGroupId": group_id,
            "Status": "active",
            "Engine": str(params.get("Engine", "redis")).lower(),
            "UserIds": user_ids,
            "MinimumEngineVersion": "6.0",
            "ARN": arn,
        }
        _groups(backend)[group_id] = group
        _set_members(backend, group_id, [], user_ids)
        if params.get("Tags"):
            backend.tagging_service.tag_resource(arn, params["Tags"])
        return ActionResult(_view(backend, group))

    def describe_user_groups(self: Any) -> Any:
        params, backend = self._get_params(), self.elasticache_backend
        group_id = params.get("UserGroupId")
        if group_id is not None and group_id not in _groups(backend):
            raise not_found(f"User group {group_id} not found.")
        chosen = [_groups(backend)[group_id]] if group_id else list(_groups(backend).values())
        return ActionResult({"UserGroups": [_view(backend, group) for group in chosen]})

    def modify_user_group(self: Any) -> Any:
        params, backend = self._get_params(), self.elasticache_backend
        group = _groups(backend).get(params["UserGroupId"])
        if group is None:
            raise not_found(f"User group {params['UserGroupId']} not found.")
        adding, removing = list(params.get("UserIdsToAdd") or []), set(params.get("UserIdsToRemove") or [])
        check_users(backend, adding)
        old = list(group["UserIds"])
        group["UserIds"] = [u for u in old if u not in removing] + [u for u in adding if u not in old]
        _set_members(backend, group["UserGroupId"], old, group["UserIds"])
        return ActionResult(_view(backend, group))

    def delete_user_group(self: Any) -> Any:
        params, backend = self._get_params(), self.elasticache_backend
        group = _groups(backend).pop(params["UserGroupId"], None)
        if group is None:
            raise not_found(f"User group {params['UserGroupId']} not found.")
        _set_members(backend, group["UserGroupId"], group["UserIds"], [])
        return ActionResult({**_view(backend, group), "Status": "deleting"})

    original_tags = ElastiCacheBackend.list_tags_for_resource

    def list_tags_for_resource(self: Any, arn: str) -> Any:
        if ":usergroup:" in arn:
            return self.tagging_service.list_tags_for_resource(arn)
        return original_tags(self, arn)

    ElastiCacheResponse.create_user_group = create_user_group  # type: ignore[attr-defined]
    ElastiCacheResponse.describe_user_groups = describe_user_groups  # type: ignore[attr-defined]
    ElastiCacheResponse.modify_user_group = modify_user_group  # type: ignore[attr-defined]
    ElastiCacheResponse.delete_user_group = delete_user_group  # type: ignore[attr-defined]
    ElastiCacheBackend.list_tags_for_resource = list_tags_for_resource  # type: ignore[method-assign]


def _member_cluster(backend: Any, group: Any, cluster_id: str, request: dict[str, Any]) -> Any:
    from moto.elasticache.models import CacheCluster

    names = [n for n in inspect.signature(CacheCluster.__init__).parameters if n != "self"]
    settings: dict[str, Any] = dict.fromkeys(names)
    settings.update(
        account_id=backend.account_id,
        region_name=backend.region_name,
        cache_cluster_id=cluster_id,
        cache_node_type=group.cache_node_type,
        replication_group_id=group.replication_group_id,
        engine="redis",
        engine_version=group.engine_version,
        port=group.port,
        cache_subnet_group_name=request.get("cache_subnet_group_name"),
        security_group_ids=request.get("security_group_ids"),
        preferred_maintenance_window=request.get("preferred_maintenance_window"),
        snapshot_retention_limit=group.snapshot_retention_limit,
        snapshot_window=group.snapshot_window,
        transit_encryption_enabled=group.transit_encryption_enabled,
        log_delivery_configurations=[],
    )
    cluster: Any = CacheCluster(**settings)
    cluster.engine = group.engine  # built as redis for moto's single-node defaults, then the group's engine
    cluster.at_rest_encryption_enabled = bool(group.at_rest_encryption_enabled)
    cluster.auto_minor_version_upgrade = str(group.auto_minor_version_upgrade).lower() != "false"
    cluster.security_groups = [
        {"security_group_id": sg, "status": "active"} for sg in request.get("security_group_ids") or []
    ]
    return cluster


def patch_elasticache_member_clusters() -> None:
    from moto.elasticache.models import ElastiCacheBackend

    original_create = ElastiCacheBackend.create_replication_group
    original_delete = ElastiCacheBackend.delete_replication_group

    def create_replication_group(self: Any, **kwargs: Any) -> Any:
        if kwargs.get("cluster_mode") != "enabled" and not kwargs.get("replicas_per_node_group"):
            kwargs["replicas_per_node_group"] = max(0, (kwargs.get("num_cache_clusters") or 1) - 1)
        group = original_create(self, **kwargs)
        for node_group in group.node_groups:
            if "reader_endpoint_address" in node_group:
                node_group["reader_endpoint"] = {"address": node_group["reader_endpoint_address"], "port": group.port}
        for cluster_id in group.member_clusters:
            self.cache_clusters.setdefault(cluster_id, _member_cluster(self, group, cluster_id, kwargs))
        return group

    def delete_replication_group(self: Any, replication_group_id: str, retain_primary_cluster: bool | None) -> Any:
        members = list(getattr(self.replication_groups.get(replication_group_id), "member_clusters", []))
        group = original_delete(self, replication_group_id, retain_primary_cluster)
        for cluster_id in members:
            self.cache_clusters.pop(cluster_id, None)
        self.replication_groups.pop(replication_group_id, None)
        return group

    ElastiCacheBackend.create_replication_group = create_replication_group  # type: ignore[method-assign,assignment]
    ElastiCacheBackend.delete_replication_group = delete_replication_group  # type: ignore[method-assign]
