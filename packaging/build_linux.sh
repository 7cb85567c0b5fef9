#!/usr/bin/env bash
# Build Storyteller's Linux installers from a checkout, on Debian or Ubuntu (amd64 or arm64):
#   dist/storyteller_VERSION_ARCH.deb            installs under /opt/storyteller, /usr/bin/storyteller,
#                                                a .desktop entry and icons
#   dist/storyteller-VERSION-linux-MACHINE.tar.*  the same app, to unpack anywhere and run ./storyteller
#
#   packaging/build_linux.sh          xz: smallest files, slow to compress (releases)
#   packaging/build_linux.sh --fast   zstd -1 .deb and tarball: seconds instead of minutes (CI, tests)
#   options: --out DIR (default dist)   --no-apt (install no Debian packages; say what is missing)
#   environment: PYTHON (3.11+, default python3), STORYTELLER_PACK_VENV (default build/pack-venv),
#                TORCH_INDEX_URL (an extra pip index with a CPU build of torch, e.g. PyTorch's CPU wheels),
#                DEB_MAINTAINER
#
# Installs what it needs: Debian packages (with root or sudo) and a build venv with the pinned
# PyInstaller (packaging/requirements.txt) and the app's pinned dependencies (constraints.txt). The
# project's own .venv is not touched. Intermediate files go to build/, which git ignores.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

fast=0
out=dist
use_apt=1
while [ $# -gt 0 ]; do
    case "$1" in
        --fast) fast=1 ;;
        --out) out="$2"; shift ;;
        --out=*) out="${1#--out=}" ;;
        --no-apt) use_apt=0 ;;
        -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
        *) echo "build_linux: unknown option $1 (try --help)" >&2; exit 2 ;;
    esac
    shift
done
mkdir -p "$out"
out=$(cd "$out" && pwd)
python="${PYTHON:-python3}"
venv="${STORYTELLER_PACK_VENV:-build/pack-venv}"
started=$(date +%s)
log() { printf '[build_linux %4ss] %s\n' "$(( $(date +%s) - started ))" "$*" >&2; }

# --- 1. Debian packages -----------------------------------------------------------------------------------
# Tools; the X/Qt libraries PyInstaller copies into the bundle (Qt's xcb platform plugin needs the
# xcb-util libraries: they must be installed to be bundled); the system libraries the bundle links against
# and the .deb depends on (installed so dpkg-shlibdeps can name their packages).
debian_packages=(binutils dpkg-dev file xz-utils zstd desktop-file-utils
                 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-randr0 libxcb-render-util0
                 libxcb-image0 libxcb-xinerama0 libxcb-xkb1 libxkbcommon-x11-0 libxkbcommon0
                 libfontconfig1 libfreetype6 libdbus-1-3 libglib2.0-0
                 libxcb1 libx11-6 libx11-xcb1 libgl1 libegl1 libwayland-client0 libwayland-cursor0 libwayland-egl1)
python_path=$(command -v "$python" || true)
case "$python_path" in
    ""|/usr/bin/*) debian_packages+=(python3 python3-venv python3-dev) ;;  # -dev: PyInstaller needs libpython
esac
source scripts/debian_packages.sh
install_debian_packages build_linux "$use_apt" 1 "${debian_packages[@]}" || exit 1
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "build_linux: needs Python 3.11 or newer; $("$python" --version 2>&1) found. Set PYTHON=python3.x." >&2
    exit 1
fi

version=$("$python" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
arch=$(dpkg --print-architecture)
machine=$(uname -m)
log "Storyteller $version for $arch, Python $("$python" -c 'import platform; print(platform.python_version())')"

# --- 2. the build venv: pinned PyInstaller and the app's pinned dependencies --------------------------------
mkdir -p build
[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
stamp="$venv/.storyteller-pack-installed"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ constraints.txt -nt "$stamp" ] \
        || [ packaging/requirements.txt -nt "$stamp" ]; then
    log "installing the build venv ($venv)"
    pip=("$venv/bin/python" -m pip --disable-pip-version-check -q)
    "${pip[@]}" install --upgrade pip
    # torch first and pinned, like scripts/setup.sh: left to the resolver it may pick a multi-GB CUDA build.
    "${pip[@]}" install -c constraints.txt ${TORCH_INDEX_URL:+--extra-index-url "$TORCH_INDEX_URL"} torch
    # The app's dependencies, not the app: the spec takes the storyteller package from this checkout.
    "$venv/bin/python" -c 'import tomllib; print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]))' \
        > build/pack-app-requirements.txt
    "${pip[@]}" install -c constraints.txt -r build/pack-app-requirements.txt -r packaging/requirements.txt
    touch "$stamp"
fi
# A CUDA build of torch would make the bundle several GB: refuse it.
"$venv/bin/python" - <<'EOF'
import importlib.metadata as metadata
import sys
cuda = [r for r in metadata.requires("torch") or [] if r.lower().startswith(("nvidia-", "triton")) and "extra ==" not in r]
if cuda:
    sys.exit(f"build_linux: the build venv's torch is a CUDA build (it requires {', '.join(cuda[:2])}, ...). "
             "Set TORCH_INDEX_URL to an index with CPU wheels (PyTorch's https://download.pytorch.org/whl/cpu) "
             f"and remove {sys.prefix}.")
EOF

# --- 3. the Korean UI: compiled translations (gitignored, built from the committed .ts files) ---------------
for ts in resources/translations/*.ts; do
    qm="${ts%.ts}.qm"
    if [ ! -f "$qm" ] || [ "$ts" -nt "$qm" ]; then
        log "compiling $ts"
        "$venv/bin/pyside6-lrelease" -silent "$ts" -qm "$qm"
    fi
done

# --- 4. the bundle ------------------------------------------------------------------------------------------
log "running PyInstaller (packaging/storyteller.spec)"
rm -rf build/bundle
"$venv/bin/pyinstaller" --noconfirm --log-level WARN --distpath build/bundle --workpath build/pyinstaller \
    packaging/storyteller.spec
bundle=build/bundle/storyteller
"$bundle/storyteller" --version >/dev/null
# Readable by everyone, writable by no one but the owner, whatever the checkout's modes were.
chmod -R u+rwX,go+rX,go-w "$bundle"
log "bundle: $(du -sh "$bundle" | cut -f1) in $bundle"

# --- 5. the .deb --------------------------------------------------------------------------------------------
stage="$root/build/deb/storyteller"
rm -rf build/deb
mkdir -p "$stage/DEBIAN" "$stage/opt" "$stage/usr/bin" "$stage/usr/share/applications" \
         "$stage/usr/share/doc/storyteller" "$stage/usr/share/icons/hicolor/scalable/apps"
cp -a "$bundle" "$stage/opt/storyteller"
ln -s /opt/storyteller/storyteller "$stage/usr/bin/storyteller"
install -m 644 packaging/linux/storyteller.desktop "$stage/usr/share/applications/storyteller.desktop"
desktop-file-validate "$stage/usr/share/applications/storyteller.desktop"
install -m 644 resources/icons/storyteller.svg "$stage/usr/share/icons/hicolor/scalable/apps/storyteller.svg"
for png in resources/icons/storyteller-*.png; do
    size=$(basename "$png" .png); size=${size#storyteller-}
    install -D -m 644 "$png" "$stage/usr/share/icons/hicolor/${size}x${size}/apps/storyteller.png"
done
"$python" - "$stage/usr/share/doc/storyteller/copyright" <<'EOF'
import sys
template = open("packaging/linux/copyright", encoding="utf-8").read()
mit = "\n".join(" " + line if line.strip() else " ." for line in open("LICENSE", encoding="utf-8").read().strip().splitlines())
open(sys.argv[1], "w", encoding="utf-8").write(template.replace("@MIT@", mit))
EOF
chmod 644 "$stage/usr/share/doc/storyteller/copyright"

# Depends: the shared libraries the bundle does not carry (libc, libGL/EGL, libxcb, Wayland, ...), as
# dpkg-shlibdeps names them from the installed packages' symbols files, plus files used without linking:
# fontconfig's configuration and default font (libfontconfig1 pulls them in) and XKB keymaps (xkb-data).
log "computing Depends with dpkg-shlibdeps"
mapfile -t elf_files < <(find "$stage/opt/storyteller" -type f \( -name '*.so*' -o -perm -u+x \) \
    -exec sh -c 'for f; do [ "$(head -c 4 "$f" | od -An -c | tr -d " ")" = "177ELF" ] && echo "$f"; done' _ {} +)
# -l: the bundle's library folders as installed (dpkg-shlibdeps looks them up inside the package's tree)
mapfile -t lib_dirs < <(cd "$stage" && find opt/storyteller -name '*.so*' -printf '-l/%h\n' | sort -u)
shlibs_dir=build/deb/shlibdeps
mkdir -p "$shlibs_dir/debian"
printf 'Source: storyteller\n\nPackage: storyteller\nArchitecture: any\n' > "$shlibs_dir/debian/control"
shlibs=$(cd "$shlibs_dir" && dpkg-shlibdeps --ignore-missing-info "${lib_dirs[@]}" -O "${elf_files[@]}" \
    2>"$root/build/deb/shlibdeps.log") \
    || { cat build/deb/shlibdeps.log >&2; exit 1; }
depends="${shlibs#shlibs:Depends=}, libfontconfig1, xkb-data"
log "Depends: $depends"

installed_size=$(du -sk --exclude=DEBIAN "$stage" | cut -f1)
sed -e "s|@VERSION@|$version|" -e "s|@ARCH@|$arch|" -e "s|@INSTALLED_SIZE@|$installed_size|" \
    -e "s|@DEPENDS@|$depends|" \
    -e "s|@MAINTAINER@|${DEB_MAINTAINER:-The Storyteller authors <maintainers@storyteller.invalid>}|" \
    packaging/linux/control.in > "$stage/DEBIAN/control"
rm -rf "$shlibs_dir"

deb="$out/storyteller_${version}_${arch}.deb"
# zstd: any dpkg that can run the bundle (glibc 2.36: Debian 12, Ubuntu 22.10 and later) reads it.
if [ "$fast" = 1 ]; then deb_compression=(-Zzstd -z1); else deb_compression=(-Zxz -z6); fi
deb_compression+=(--threads-max="$(nproc)")
log "packing $deb (${deb_compression[*]})"
rm -f "$deb"
dpkg-deb --root-owner-group "${deb_compression[@]}" --build "$stage" "$deb" >/dev/null

# --- 6. the tarball: the bundle plus the desktop entry and icons, in storyteller-VERSION/ -------------------
name="storyteller-$version"
tar_stage=build/tar
rm -rf "$tar_stage"
mkdir -p "$tar_stage"
cp -a "$bundle" "$tar_stage/$name"
mkdir -p "$tar_stage/$name/share"
cp -a "$stage/usr/share/applications" "$stage/usr/share/icons" "$tar_stage/$name/share/"
install -m 644 LICENSE "$tar_stage/$name/LICENSE"
cat > "$tar_stage/$name/README.txt" <<EOF
이야기꾼 Storyteller $version for Linux ($machine)

Run ./storyteller (no installation needed; a Korean font such as Debian's fonts-noto-cjk is recommended).
Models you download and settings live in your home folder (~/.local/share/storyteller,
~/.config/storyteller), never here. The KoGPT2 weights are downloaded on first use from the model
manager; a small demo model is included.

Optional, a menu entry for this user:
  ln -s "\$PWD/storyteller" ~/.local/bin/storyteller
  cp -r share/applications share/icons ~/.local/share/
EOF
rm -f "$out/$name-linux-$machine".tar.*
if [ "$fast" = 1 ]; then
    tarball="$out/$name-linux-$machine.tar.zst"; compressor="zstd -1 -T0 -q"
else
    tarball="$out/$name-linux-$machine.tar.xz"; compressor="xz -6 -T0"
fi
log "packing $tarball ($compressor)"
tar -C "$tar_stage" --owner=0 --group=0 --numeric-owner --sort=name -I "$compressor" -cf "$tarball" "$name"
rm -rf "$tar_stage" build/deb  # staging copies of the bundle; build/bundle stays

( cd "$out" && sha256sum "$(basename "$deb")" "$(basename "$tarball")" > "$name-SHA256SUMS" )
log "done in $(( $(date +%s) - started )) s"
printf '%-10s %8s  %s\n' bundle "$(du -sh "$bundle" | cut -f1)" "$root/$bundle" \
    deb "$(du -h "$deb" | cut -f1)" "$deb" tarball "$(du -h "$tarball" | cut -f1)" "$tarball"
