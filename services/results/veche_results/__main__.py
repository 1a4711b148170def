from veche_results.app import build_app
from veche_results.settings import ResultsSettings
from veche_shared.service import run


def main() -> None:
    settings = ResultsSettings()
    run(build_app(settings), settings, "results")


if __name__ == "__main__":
    main()
