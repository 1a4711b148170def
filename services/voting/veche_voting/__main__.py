from veche_shared.service import run
from veche_voting.app import build_app
from veche_voting.settings import VotingSettings


def main() -> None:
    settings = VotingSettings()
    run(build_app(settings), settings, "voting")


if __name__ == "__main__":
    main()
