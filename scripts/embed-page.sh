#!/usr/bin/env bash
# Regenerates Sources/Query/EmbeddedPage.swift from Page/, so the binary carries the built-in page that
# `tracejoin ui` serves. QueryRequestParsingTests checks the embedded copy equals Page/; run this after editing
# the page.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/embed-files.sh Sources/Query/EmbeddedPage.swift EmbeddedPage scripts/embed-page.sh \
    "The built-in page's files" Page/index.html Page/app.css Page/app.js Page/icon.svg
