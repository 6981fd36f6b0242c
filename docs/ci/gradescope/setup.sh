#!/usr/bin/env bash
# Gradescope autograder setup (runs once when the autograder image is built, as root, on
# Gradescope's Ubuntu base image). The autograder zip holds this file, run_autograder, and a
# copy of the lab-grader repository in lab-grader/ (e.g. `git archive HEAD` of a release).
set -euo pipefail

# Node.js 20 from NodeSource: lab-grader needs Node >= 20.19.
apt-get update
apt-get install -y --no-install-recommends ca-certificates curl gnupg
curl -fsSL https://deb.nodesource.com/setup_20.x | bash -
apt-get install -y --no-install-recommends nodejs

cd /autograder/source/lab-grader
npm ci
npm run build
node dist/src/cli/main.js --version
