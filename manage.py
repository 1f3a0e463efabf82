#!/usr/bin/env python
"""Django's command-line utility; `creditdesk …` is the same thing under the project's name."""

from creditdesk.cli import main

if __name__ == "__main__":
    main()
