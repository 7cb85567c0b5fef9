# Sourced by scripts/setup.sh and packaging/build_linux.sh (bash).
#
# install_debian_packages WHO MAY_INSTALL STRICT PACKAGE...
#   Installs the missing PACKAGEs with apt when MAY_INSTALL is 1 and this user is root or has sudo;
#   otherwise names them on stderr, and returns 1 when STRICT is 1 (the caller cannot go on without).
#   Does nothing where there is no dpkg (not Debian or Ubuntu).
install_debian_packages() {
    local who=$1 may_install=$2 strict=$3 package sudo=""
    shift 3
    command -v dpkg-query >/dev/null 2>&1 || return 0
    local missing=()
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && sudo="sudo"
    if [ "$may_install" = 1 ] && { [ "$(id -u)" -eq 0 ] || [ -n "$sudo" ]; }; then
        echo "$who: installing Debian packages: ${missing[*]}" >&2
        $sudo apt-get update -qq
        $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
        return 0
    fi
    echo "$who: please install these Debian packages: ${missing[*]}" >&2
    [ "$strict" != 1 ]
}
