#!/bin/sh
# Installs every build and test dependency of tortie from Debian's packages.
# Idempotent: does nothing when everything is already present.
set -e

PKGS="build-essential pkg-config libevent-dev libbsd-dev libyaml-dev \
libssl-dev libseccomp-dev libcap-ng-dev libcmocka-dev iproute2 iputils-ping \
clang libclang-rt-14-dev procps psmisc perl python3 \
bird2 frr gobgpd openbgpd exabgp tcpdump etcd-server etcd-client \
mandoc debhelper dpkg-dev fakeroot curl python3-prometheus-client jq strace \
valgrind"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
	    grep -q '^install ok installed$'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "tortie: missing packages:$missing" >&2
	echo "run as root: apt-get install -y$missing" >&2
	exit 1
fi
echo "tortie: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
# Keep the test peers' packaged services from starting: tests run their own.
if [ ! -e /usr/sbin/policy-rc.d ]; then
	printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
	chmod 755 /usr/sbin/policy-rc.d
	trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing
