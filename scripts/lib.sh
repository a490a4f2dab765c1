# Shared helpers for scripts/*: install what a fresh Debian machine with Rust lacks.
# Sourced, not executed.

wasm_bindgen_version() {
  # The exact wasm-bindgen version pinned in Cargo.lock (crate and CLI must match).
  awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock
}

ensure_wasm_toolchain() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    echo "== installing rust target wasm32-unknown-unknown" >&2
    rustup target add wasm32-unknown-unknown
  fi
  local want; want=$(wasm_bindgen_version)
  if [ -z "$want" ]; then
    cargo generate-lockfile >/dev/null 2>&1 || true
    want=$(wasm_bindgen_version)
  fi
  if ! command -v wasm-bindgen >/dev/null || [ "$(wasm-bindgen --version | awk '{print $2}')" != "$want" ]; then
    echo "== installing wasm-bindgen-cli $want (about 3 minutes)" >&2
    # Without --locked: the registry mirror here lacks one locked dependency of the CLI.
    cargo install wasm-bindgen-cli --version "$want"
  fi
}

apt_install() {
  # apt_install PKG... : installs Debian packages that are missing (as root or with sudo).
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "== apt-get install ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

ensure_clang() {
  # The Parquet module's zstd codec is C (libzstd): clang compiles it for wasm32 and
  # llvm-ar archives it (Debian: clang, lld, llvm).
  if ! command -v clang >/dev/null || ! command -v llvm-ar >/dev/null || ! command -v ld.lld >/dev/null; then
    apt_install clang lld llvm
  fi
}

ensure_node() {
  command -v node >/dev/null && command -v npm >/dev/null || apt_install nodejs npm
}

ensure_chromium() {
  [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] || apt_install chromium chromium-driver
}
