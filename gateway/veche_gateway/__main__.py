from veche_gateway.app import build_app
from veche_gateway.settings import GatewaySettings
from veche_shared.service import run


def main() -> None:
    settings = GatewaySettings()
    run(build_app(settings), settings, "gateway")


if __name__ == "__main__":
    main()
