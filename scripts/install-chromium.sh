#!/bin/sh
# Installs Debian's Chromium and its driver for the browser tests. Needs root (or sudo).
set -e
if [ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep -qi wqy; then exit 0; fi
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
# A CJK font, or screenshots of Chinese pages show empty boxes.
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver fonts-wqy-microhei >/dev/null
