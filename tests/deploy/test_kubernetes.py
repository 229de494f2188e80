"""deploy/k8s: the objects parse, build with kustomize, match the Kubernetes schema and refer to each other."""

from __future__ import annotations

import importlib
import re
from typing import Any

import kubernetes_validate
import pytest
import yaml
from pydantic import ValidationError

from apps.gateway.routes.health import router as health_router
from services.core.settings import LOCAL_ADMIN_KEY, LOCAL_PORTAL_SECRET
from tests.deploy.manifests import (
    DEPLOY_DIR,
    K8S_DIR,
    cli_command_names,
    k8s_objects,
    kubectl_command,
    load_documents,
    run_tool,
    setting_variables,
    settings_from_environment,
)

# Oldest Kubernetes release the manifests are checked against (autoscaling/v2 is GA since 1.23).
KUBERNETES_VERSION = "1.29.0"
NAMESPACE = "xingchen"


def objects_of(kind: str) -> list[dict[str, Any]]:
    return [item for item in k8s_objects() if item["kind"] == kind]


def one(kind: str, name: str) -> dict[str, Any]:
    found = [item for item in objects_of(kind) if item["metadata"]["name"] == name]
    assert len(found) == 1, f"expected one {kind} named {name}, found {len(found)}"
    return found[0]


def pod_containers(deployment: dict[str, Any]) -> list[dict[str, Any]]:
    spec = deployment["spec"]["template"]["spec"]
    return [*spec.get("initContainers", []), *spec["containers"]]


def settings_data() -> dict[str, str]:
    data = dict(one("ConfigMap", "xingchen-settings")["data"])
    data.update(one("Secret", "xingchen-secrets")["stringData"])
    return data


def test_k8s_objects_have_identity() -> None:
    objects = k8s_objects()

    assert len(objects) >= 9
    for item in objects:
        assert item.get("apiVersion"), item
        assert item.get("kind"), item
        assert item.get("metadata", {}).get("name"), item


def test_kustomization_lists_every_manifest() -> None:
    kustomization = load_documents(K8S_DIR / "kustomization.yaml")[0]
    manifests = {path.name for path in K8S_DIR.glob("*.yaml")} - {"kustomization.yaml"}

    assert set(kustomization["resources"]) == manifests


def test_kustomize_builds_every_object() -> None:
    result = run_tool([*kubectl_command(), "kustomize", str(K8S_DIR)], cwd=DEPLOY_DIR)
    assert result.returncode == 0, result.stderr
    built = [item for item in yaml.safe_load_all(result.stdout) if item]
    kinds = sorted(item["kind"] for item in built)

    assert kinds == sorted(item["kind"] for item in k8s_objects())
    for item in built:
        if item["kind"] != "Namespace":
            assert item["metadata"]["namespace"] == NAMESPACE
    for item in built:
        if item["kind"] == "Deployment":
            for container in pod_containers(item):
                assert container["image"] == "xingchen-suite:0.1.0"


@pytest.mark.parametrize("item", k8s_objects(), ids=lambda item: f"{item['kind']}-{item['metadata']['name']}")
def test_k8s_object_matches_schema(item: dict[str, Any]) -> None:
    # Strict schemas also reject fields that Kubernetes does not know (a misspelt key).
    kubernetes_validate.validate(item, KUBERNETES_VERSION, strict=True)


def test_k8s_schema_check_rejects_unknown_field() -> None:
    deployment = one("Deployment", "xingchen-gateway")
    broken = {**deployment, "spec": {**deployment["spec"], "replica": 2}}

    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES_VERSION, strict=True)


def test_k8s_settings_names_exist() -> None:
    assert set(settings_data()) - setting_variables() == set()


@pytest.mark.parametrize(
    ("variable", "placeholder", "replaced"),
    [
        ("XINGCHEN_ADMIN_API_KEY", LOCAL_ADMIN_KEY, "XINGCHEN_PORTAL_SESSION_SECRET"),
        ("XINGCHEN_PORTAL_SESSION_SECRET", LOCAL_PORTAL_SECRET, "XINGCHEN_ADMIN_API_KEY"),
    ],
)
def test_k8s_settings_reject_placeholder_secret(
    variable: str, placeholder: str, replaced: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = settings_data()
    assert data[variable] == placeholder

    with pytest.raises(ValidationError, match=variable):
        settings_from_environment({**data, replaced: "a-real-secret"}, monkeypatch)


def test_k8s_settings_build_production_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    environment = {
        **settings_data(),
        "XINGCHEN_ADMIN_API_KEY": "a-real-secret",
        "XINGCHEN_PORTAL_SESSION_SECRET": "another-real-secret",
    }

    settings = settings_from_environment(environment, monkeypatch)

    assert settings.environment == "production"
    assert settings.model_backend == "openai"
    assert settings.job_backend == "celery"
    assert settings.database_url is not None
    assert settings.database_url.startswith("postgresql+psycopg://")
    assert settings.port == 8080


@pytest.mark.parametrize("name", ["xingchen-gateway", "xingchen-worker"])
def test_deployment_references_resolve(name: str) -> None:
    deployment = one("Deployment", name)
    pod = deployment["spec"]["template"]
    configmaps = {item["metadata"]["name"] for item in objects_of("ConfigMap")}
    secrets = {item["metadata"]["name"] for item in objects_of("Secret")}
    claims = {item["metadata"]["name"] for item in objects_of("PersistentVolumeClaim")}

    assert deployment["spec"]["selector"]["matchLabels"].items() <= pod["metadata"]["labels"].items()
    for container in pod_containers(deployment):
        for source in container["envFrom"]:
            if "configMapRef" in source:
                assert source["configMapRef"]["name"] in configmaps
            else:
                assert source["secretRef"]["name"] in secrets
    for volume in pod["spec"]["volumes"]:
        assert volume["persistentVolumeClaim"]["claimName"] in claims


@pytest.mark.parametrize("name", ["xingchen-gateway", "xingchen-worker"])
def test_deployment_mounts_data_dir(name: str) -> None:
    data_dir = settings_data()["XINGCHEN_DATA_DIR"]
    container = one("Deployment", name)["spec"]["template"]["spec"]["containers"][0]

    assert [mount["mountPath"] for mount in container["volumeMounts"]] == [data_dir]


def test_data_volume_is_shared_between_nodes() -> None:
    claim = one("PersistentVolumeClaim", "xingchen-data")

    assert claim["spec"]["accessModes"] == ["ReadWriteMany"]


@pytest.mark.parametrize("name", ["xingchen-gateway", "xingchen-worker"])
def test_containers_declare_resources(name: str) -> None:
    for container in pod_containers(one("Deployment", name)):
        resources = container["resources"]

        assert {"cpu", "memory"} <= set(resources["requests"]), container["name"]
        assert "memory" in resources["limits"], container["name"]


@pytest.mark.parametrize("name", ["xingchen-gateway", "xingchen-worker"])
def test_containers_run_cli_commands(name: str) -> None:
    for container in pod_containers(one("Deployment", name)):
        assert container["command"][0] == "xingchen"
        assert container["command"][1] in cli_command_names()


@pytest.mark.parametrize("name", ["xingchen-gateway", "xingchen-worker"])
def test_pods_run_as_image_user(name: str) -> None:
    dockerfile = (DEPLOY_DIR / "Dockerfile").read_text(encoding="utf-8")
    user = re.search(r"^USER (\d+):(\d+)$", dockerfile, flags=re.MULTILINE)
    assert user is not None
    security = one("Deployment", name)["spec"]["template"]["spec"]["securityContext"]

    assert security["runAsNonRoot"] is True
    assert security["runAsUser"] == int(user.group(1))
    assert security["fsGroup"] == int(user.group(2))


def test_gateway_probes_use_health_routes() -> None:
    container = one("Deployment", "xingchen-gateway")["spec"]["template"]["spec"]["containers"][0]
    routes = {getattr(route, "path", None) for route in health_router.routes}
    port_names = {port["name"] for port in container["ports"]}

    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["startupProbe"]["httpGet"]["path"] == "/healthz"
    assert {"/readyz", "/healthz"} <= routes
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        assert container[probe]["httpGet"]["port"] in port_names


def test_gateway_port_matches_settings() -> None:
    container = one("Deployment", "xingchen-gateway")["spec"]["template"]["spec"]["containers"][0]

    assert container["ports"][0]["containerPort"] == int(settings_data()["XINGCHEN_PORT"])


def test_worker_liveness_pings_celery_app() -> None:
    container = one("Deployment", "xingchen-worker")["spec"]["template"]["spec"]["containers"][0]
    command = " ".join(container["livenessProbe"]["exec"]["command"])
    module = re.search(r"celery -A (\S+) inspect ping", command)

    assert module is not None
    assert hasattr(importlib.import_module(module.group(1)), "app")


def test_service_and_ingress_reach_gateway() -> None:
    service = one("Service", "xingchen-gateway")
    pod = one("Deployment", "xingchen-gateway")["spec"]["template"]
    port_names = {port["name"] for port in pod["spec"]["containers"][0]["ports"]}
    backend = one("Ingress", "xingchen-gateway")["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]

    assert service["spec"]["selector"].items() <= pod["metadata"]["labels"].items()
    assert service["spec"]["ports"][0]["targetPort"] in port_names
    assert backend["name"] == service["metadata"]["name"]
    assert backend["port"]["name"] == service["spec"]["ports"][0]["name"]


def test_ingress_admits_meeting_uploads() -> None:
    annotations = one("Ingress", "xingchen-gateway")["metadata"]["annotations"]
    body_limit = annotations["nginx.ingress.kubernetes.io/proxy-body-size"]
    megabytes = int(body_limit.removesuffix("m"))

    assert megabytes * 1024 * 1024 >= int(settings_data()["XINGCHEN_MEETINGS_MAX_UPLOAD_BYTES"])


def test_worker_autoscaler_targets_workers() -> None:
    autoscaler = one("HorizontalPodAutoscaler", "xingchen-worker")
    target = autoscaler["spec"]["scaleTargetRef"]

    assert (target["kind"], target["name"]) == ("Deployment", "xingchen-worker")
    assert 1 <= autoscaler["spec"]["minReplicas"] <= autoscaler["spec"]["maxReplicas"]
    assert autoscaler["spec"]["metrics"][0]["resource"]["name"] == "cpu"
