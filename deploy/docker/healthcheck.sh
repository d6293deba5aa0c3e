#!/usr/bin/env bash
# Container health check without curl or wget in the image: asks the Spring Boot liveness probe over bash's
# /dev/tcp and succeeds only on HTTP 200 with status UP. Port from SERVER_PORT (default 8080); HEALTHCHECK_HOST and
# HEALTHCHECK_PATH let the Helm test pod ask other services' readiness with the same script.
set -euo pipefail
host="${HEALTHCHECK_HOST:-127.0.0.1}"
port="${HEALTHCHECK_PORT:-${SERVER_PORT:-8080}}"
path="${HEALTHCHECK_PATH:-/actuator/health/liveness}"
exec 3<>"/dev/tcp/${host}/${port}"
printf 'GET %s HTTP/1.0\r\nHost: %s\r\nAccept: application/json\r\n\r\n' "${path}" "${host}" >&3
response="$(timeout 4 cat <&3)"
exec 3<&-
case "${response}" in
  "HTTP/1."[01]" 200"*'"status":"UP"'*) exit 0 ;;
  *) echo "unhealthy: $(printf '%s' "${response}" | head -1)" >&2; exit 1 ;;
esac
