from prometheus_client import CollectorRegistry

from veche_gateway.app import build_app
from veche_gateway.metrics_listener import metrics_listener
from veche_gateway.settings import GatewaySettings
from veche_shared.service import run


def main() -> None:
    settings = GatewaySettings()
    registry = CollectorRegistry()
    with metrics_listener(settings, registry):
        run(build_app(settings, registry=registry), settings, "gateway")


if __name__ == "__main__":
    main()
