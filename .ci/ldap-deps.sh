#!/usr/bin/env bash
# OpenLDAP's slapd and the ldap-utils tools for the directory sign-in tests (tests/directory
# start their own slapd on a free loopback port). Installed only when missing; the package's
# own service is not started (policy-rc.d or no init here), nor needed.
set -euo pipefail
if [ ! -x /usr/sbin/slapd ] || ! command -v ldapadd >/dev/null; then
  echo "Installing slapd and ldap-utils for the directory tests"
  apt-get update -qq
  echo "slapd slapd/no_configuration boolean true" | debconf-set-selections
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slapd ldap-utils >/dev/null
fi
