#!/bin/sh
# Entrypoint of compose.yaml's Mosquitto: on the first start, makes the broker's two logins (voicewipe and
# homeassistant) with random passwords in the mqtt-secrets volume, and the password file Mosquitto checks
# (allow_anonymous false in mosquitto.conf). Later starts keep them. Then hands over to the image's own
# entrypoint. Runs as root in the eclipse-mosquitto image (busybox sh); Mosquitto itself runs as uid 1883.
set -eu

dir="${MQTT_SECRETS_DIR:-/mosquitto/secrets}"
broker_uid="${MOSQUITTO_UID:-1883}"
# voicewipe's user in its own image (docker/Dockerfile): it reads its password from the shared volume.
voicewipe_uid="${VOICEWIPE_UID:-10001}"
umask 077
mkdir -p "$dir"

new_password() {
  # 32 letters and digits from the kernel's random source (about 190 bits).
  head -c 96 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32
}

if [ ! -s "$dir/passwd" ]; then
  rm -f "$dir/passwd.tmp"
  : > "$dir/passwd.tmp"
  for user in voicewipe homeassistant; do
    if [ ! -s "$dir/$user-password" ]; then new_password > "$dir/$user-password"; fi
    mosquitto_passwd -b "$dir/passwd.tmp" "$user" "$(cat "$dir/$user-password")"
  done
  mv "$dir/passwd.tmp" "$dir/passwd"
  echo "voicewipe: made the broker's logins. Home Assistant's (user homeassistant):" \
    "docker compose exec mosquitto cat $dir/homeassistant-password"
fi

# Each file readable by its reader only; the folder can be crossed (not listed) by voicewipe's user.
chown "$broker_uid:$broker_uid" "$dir/passwd" "$dir/homeassistant-password"
chown "$voicewipe_uid:$voicewipe_uid" "$dir/voicewipe-password"
chmod 600 "$dir/passwd" "$dir/homeassistant-password" "$dir/voicewipe-password"
chmod 711 "$dir"

exec "${MOSQUITTO_ENTRYPOINT:-/docker-entrypoint.sh}" "$@"
