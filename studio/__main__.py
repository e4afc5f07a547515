"""`python -m studio` is the same as the `studio` command."""

from studio.cli import leave_the_working_folder_off_the_path, main

if __name__ == "__main__":
    leave_the_working_folder_off_the_path(absolute=True)
    raise SystemExit(main())
