#!/usr/bin/env bash
# Install the Debian packages the project needs, only those missing.
#   build: fonts and text-shaping libraries WeasyPrint uses for the PDFs (Noto covers the South Asian scripts;
#          libharfbuzz-subset0 makes font subsetting fast).
#   test:  adds Chromium for the browser tests (Playwright drives it; it never downloads a browser)
#          and poppler-utils (pdftoppm, pdffonts) for reading PDFs back; LibreOffice's Writer and Calc without a
#          screen, which convert the Word and spreadsheet files to PDF in the tests; Node.js and npm when missing;
#          a Java runtime when missing, for the Nu Html Checker (vnu.jar, from npm).
set -euo pipefail
group=${1:-build}

packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fontconfig
          fonts-noto-core fonts-noto-ui-core fonts-dejavu-core)
if [ "$group" = test ]; then
  packages+=(chromium poppler-utils libreoffice-writer-nogui libreoffice-calc-nogui)
  # npm installs axe-core (pinned in package-lock.json) for the accessibility tests.
  command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
  command -v java >/dev/null 2>&1 || packages+=(default-jre-headless)
fi
if ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
  packages+=(python3-venv)
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing Debian packages: ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  sudo=sudo
else
  sudo=
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
