# Bash completion for the wascc tools: wascap, watc, wapc, wascc.
# Install: source this file, or copy it to /usr/share/bash-completion/completions/{wascap,watc,wapc,wascc}.

# File names one per line (a name with spaces stays one word), and quoted as bash quotes names.
_wascc_files() {
  local IFS=$'\n'
  COMPREPLY+=($(compgen -f -- "$1"))
  compopt -o filenames 2>/dev/null
  return 0
}

_wascap() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
  COMPREPLY=()
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W "keys sign inspect verify push pull --help --version" -- "$cur")); return
  fi
  case ${COMP_WORDS[1]} in
    keys)
      if [ "$COMP_CWORD" -eq 2 ]; then COMPREPLY=($(compgen -W "gen public" -- "$cur")); return; fi
      [ "${COMP_WORDS[2]}" = gen ] && COMPREPLY=($(compgen -W "account module service operator server user cluster --json" -- "$cur")) ;;
    sign)
      case $prev in --section) COMPREPLY=($(compgen -W "jwt wasmcloud_jwt" -- "$cur")); return ;; esac
      COMPREPLY=($(compgen -W "-o --output -n --name -i --issuer -u --subject --directory --disable-keygen -c --cap
        --keyvalue --msg --http_server --http_client --blob_store --extras --logging --events -t --tag -r --rev
        -v --ver -x --expires -b --nbf -a --call-alias -p --provider --section --json" -- "$cur"))
      _wascc_files "$cur" ;;
    inspect) COMPREPLY=($(compgen -W "--json --jwt" -- "$cur")); _wascc_files "$cur" ;;
    push|pull) COMPREPLY=($(compgen -W "--insecure --issuer --allow-issuer --json -o --output" -- "$cur")); _wascc_files "$cur" ;;
    verify) COMPREPLY=($(compgen -W "--issuer --allow-issuer --require-cap --strict --json --policy --policy-data --policy-entrypoint
      --now --revocations" -- "$cur")); _wascc_files "$cur" ;;
  esac
}

_watc() {
  local cur=${COMP_WORDS[COMP_CWORD]}
  COMPREPLY=($(compgen -W "-o --output -O -O0 -O1 -O2 -O3 -O4 -Os -Oz --strip-debug -g --debug-names --print --stats --enable-all
    --help --version" -- "$cur"))
  _wascc_files "$cur"
}

_wapc() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
  COMPREPLY=()
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W "call bench compile cache --help --version" -- "$cur")); return
  fi
  if [ "${COMP_WORDS[1]}" = cache ]; then
    if [ "$COMP_CWORD" -eq 2 ]; then COMPREPLY=($(compgen -W "list clean" -- "$cur")); return; fi
    COMPREPLY=($(compgen -W "--json --max-size" -- "$cur")); return
  fi
  case $prev in --engine) COMPREPLY=($(compgen -W "interp aot auto" -- "$cur")); return ;; esac
  COMPREPLY=($(compgen -W "--engine --timeout --fuel --max-memory-pages --max-host-call-depth --host-handler
    --require-signed --issuer --allow-issuer --log --json --file -n --calls --warmup" -- "$cur"))
  _wascc_files "$cur"
}

_wascc() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
  COMPREPLY=()
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W "run call test policy lattice --help --version" -- "$cur")); return
  fi
  case $prev in
    --engine) COMPREPLY=($(compgen -W "interp aot auto" -- "$cur")); return ;;
    --bind) COMPREPLY=($(compgen -W "wascc:http_server wascc:keyvalue wascc:messaging wascc:logging wascc:extras" -- "$cur")); return ;;
    --log-level) COMPREPLY=($(compgen -W "error warn info debug" -- "$cur")); return ;;
    --log-format) COMPREPLY=($(compgen -W "text json" -- "$cur")); return ;;
    -f|--format) COMPREPLY=($(compgen -W "json pretty raw" -- "$cur")); return ;;
  esac
  local flags="--bind --allow-issuer --issuer --revoke --revocations --engine --provider --provider-timeout --policy --policy-data
    --policy-entrypoint --timeout --fuel --max-memory-pages --max-instances --log-level --log-format"
  case ${COMP_WORDS[1]} in
    run) flags="$flags --expand-env --watch --metrics --insecure --lattice --lattice-name --nats-creds --host-seed
      --cluster-seed --cluster-issuer --rpc-timeout --retries" ;;
    call) flags="$flags --raw --json" ;;
    test) flags="--junit --json --engine --allow-issuer --issuer --revoke --timeout --fuel --max-memory-pages" ;;
    lattice) flags="hosts actors providers links --lattice --lattice-name --nats-creds --wait --json" ;;
    policy) flags="eval -i --input -d --data -f --format --entrypoint --now --engine --decide --timeout --fuel --max-memory-pages" ;;
  esac
  COMPREPLY=($(compgen -W "$flags" -- "$cur"))
  _wascc_files "$cur"
}

complete -F _wascap wascap
complete -F _wascc wascc
complete -F _watc watc
complete -F _wapc wapc
