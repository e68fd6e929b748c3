#!/usr/bin/env bash
# The end-to-end tests drive Debian's Chromium, and the pages in Chinese and Thai need fonts
# that have those scripts (else they render as boxes). Install what is missing when we may.
set -euo pipefail
PACKAGES=(chromium fonts-noto-cjk fonts-thai-tlwg)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing ${missing[*]} for the browser tests…" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
  exit 0
fi
if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then
  echo "Note: ${missing[*]} not installed; pages in Chinese or Thai may show boxes in screenshots (Debian: sudo apt-get install ${missing[*]})." >&2
  exit 0
fi
echo "The browser tests need Chromium at /usr/bin/chromium: install it (Debian: sudo apt-get install chromium) and run npm test again." >&2
exit 1
