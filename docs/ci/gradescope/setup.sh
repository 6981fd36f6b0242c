#!/usr/bin/env bash
# Gradescope autograder setup (runs once when the autograder image is built, as root, on
# Gradescope's Ubuntu base image). The autograder zip holds this file, run_autograder, and
# the lab-grader release tarball your course grades with (lab-grader-X.Y.Z.tgz, downloaded
# from the release page) with its checksum file (lab-grader.sha256: `sha256sum
# lab-grader-X.Y.Z.tgz > lab-grader.sha256`). Nothing of lab-grader comes from a registry name.
set -euo pipefail
cd /autograder/source

# Node.js 20 from NodeSource: lab-grader needs Node >= 20.19.
apt-get update
apt-get install -y --no-install-recommends ca-certificates curl gnupg
curl -fsSL https://deb.nodesource.com/setup_20.x | bash -
apt-get install -y --no-install-recommends nodejs

# The tarball must be the one the checksum names: a stale or swapped file stops the build here.
sha256sum --check --strict lab-grader.sha256
tarball=$(awk '{ print $2 }' lab-grader.sha256)
npm install --global --omit=dev --no-audit --no-fund "./$tarball"
lab-grader --version
