#!/usr/bin/env bash
# Regenerates Sources/Rules/EmbeddedRules.swift from Rules/**/*.yaml, so the binary carries the
# shipped packs. RulesTests checks the embedded copy equals Rules/; run this after editing a pack.
set -euo pipefail
cd "$(dirname "$0")/.."
files=()
while IFS= read -r file; do files+=("$file"); done < <(find Rules -type f \( -name '*.yaml' -o -name '*.yml' \) | LC_ALL=C sort)
scripts/embed-files.sh Sources/Rules/EmbeddedRules.swift EmbeddedRules scripts/embed-rules.sh \
    "The shipped rule packs" "${files[@]}"
