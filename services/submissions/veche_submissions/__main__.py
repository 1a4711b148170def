from veche_shared.service import run
from veche_submissions.app import build_app
from veche_submissions.settings import SubmissionsSettings


def main() -> None:
    settings = SubmissionsSettings()
    run(build_app(settings), settings, "submissions")


if __name__ == "__main__":
    main()
