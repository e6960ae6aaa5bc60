# Fish completion for the wascc tools: wascap, watc, wapc, wascc.
# Install: copy to ~/.config/fish/completions/ (or the system's fish vendor_completions.d) once
# per tool name: wascap.fish, watc.fish, wapc.fish, wascc.fish.

# wascap
complete -c wascap -f -n __fish_use_subcommand -a 'keys sign inspect verify push pull'
complete -c wascap -n '__fish_seen_subcommand_from push pull' -l insecure -d 'http:// off loopback'
complete -c wascap -f -n '__fish_seen_subcommand_from keys' -a 'gen public'
complete -c wascap -n '__fish_seen_subcommand_from sign' -s o -l output -r -d 'Signed module (- for stdout)'
complete -c wascap -n '__fish_seen_subcommand_from sign' -s n -l name -r -d 'Module name'
complete -c wascap -n '__fish_seen_subcommand_from sign' -s i -l issuer -r -d 'Account seed'
complete -c wascap -n '__fish_seen_subcommand_from sign' -s u -l subject -r -d 'Module seed'
complete -c wascap -n '__fish_seen_subcommand_from sign' -s c -l cap -r -d 'Capability'
complete -c wascap -n '__fish_seen_subcommand_from sign' -s x -l expires -r
complete -c wascap -n '__fish_seen_subcommand_from sign' -s b -l nbf -r
complete -c wascap -n '__fish_seen_subcommand_from inspect verify sign keys' -l json
complete -c wascap -n '__fish_seen_subcommand_from verify' -l issuer -l allow-issuer -r -d 'Allowed account key'
complete -c wascap -n '__fish_seen_subcommand_from verify' -l require-cap -r
complete -c wascap -n '__fish_seen_subcommand_from verify' -l revocations -r -d 'Revocation list file'
complete -c wascap -n '__fish_seen_subcommand_from verify' -l policy -r -d 'OPA policy'
complete -c wascap -n '__fish_seen_subcommand_from verify' -l strict

# watc
complete -c watc -s o -l output -r
complete -c watc -a '-O0 -O1 -O2 -O3 -O4 -Os -Oz' -d 'Optimize with Binaryen'
complete -c watc -s g -l debug-names -d 'Keep a name section'
complete -c watc -l strip-debug -l print -l stats -l enable-all

# wapc
complete -c wapc -f -n __fish_use_subcommand -a 'call bench compile cache'
complete -c wapc -f -n '__fish_seen_subcommand_from cache' -a 'list clean'
complete -c wapc -n '__fish_seen_subcommand_from cache' -l max-size -r -d '500M, 2G'
complete -c wapc -n '__fish_seen_subcommand_from call bench' -l engine -x -a 'interp aot auto'
complete -c wapc -n '__fish_seen_subcommand_from call bench' -l timeout -r
complete -c wapc -n '__fish_seen_subcommand_from call bench' -l fuel -r
complete -c wapc -n '__fish_seen_subcommand_from call bench' -l max-memory-pages -r
complete -c wapc -n '__fish_seen_subcommand_from call bench' -l host-handler -r
complete -c wapc -n '__fish_seen_subcommand_from call bench' -l issuer -l allow-issuer -r
complete -c wapc -n '__fish_seen_subcommand_from call bench' -l file -r
complete -c wapc -n '__fish_seen_subcommand_from call bench cache' -l json
complete -c wapc -n '__fish_seen_subcommand_from call bench' -l require-signed -l log

# wascc
complete -c wascc -f -n __fish_use_subcommand -a 'run call test policy lattice'
complete -c wascc -f -n '__fish_seen_subcommand_from policy' -a eval
complete -c wascc -f -n '__fish_seen_subcommand_from lattice' -a 'hosts actors providers links'
complete -c wascc -n '__fish_seen_subcommand_from run lattice' -l lattice -l lattice-name -l nats-creds -r
complete -c wascc -n '__fish_seen_subcommand_from run' -l host-seed -l cluster-seed -l cluster-issuer -l rpc-timeout -l retries -r
complete -c wascc -n '__fish_seen_subcommand_from lattice' -l wait -r
complete -c wascc -n '__fish_seen_subcommand_from lattice' -l json
complete -c wascc -n '__fish_seen_subcommand_from run call' -l bind -x -a 'wascc:http_server wascc:keyvalue wascc:messaging wascc:logging wascc:extras'
complete -c wascc -n '__fish_seen_subcommand_from run call test policy' -l engine -x -a 'interp aot auto'
complete -c wascc -n '__fish_seen_subcommand_from run call test policy' -l timeout -r
complete -c wascc -n '__fish_seen_subcommand_from run call test policy' -l fuel -r
complete -c wascc -n '__fish_seen_subcommand_from run call test policy' -l max-memory-pages -r
complete -c wascc -n '__fish_seen_subcommand_from run call' -l log-level -x -a 'error warn info debug'
complete -c wascc -n '__fish_seen_subcommand_from run call' -l log-format -x -a 'text json'
complete -c wascc -n '__fish_seen_subcommand_from run call test' -l allow-issuer -l issuer -r
complete -c wascc -n '__fish_seen_subcommand_from run call' -l revoke -l revocations -r
complete -c wascc -n '__fish_seen_subcommand_from run call' -l max-instances -r
complete -c wascc -n '__fish_seen_subcommand_from run call' -l policy -l policy-data -l policy-entrypoint -r
complete -c wascc -n '__fish_seen_subcommand_from run call' -l provider -l provider-timeout -r
complete -c wascc -n '__fish_seen_subcommand_from run' -l metrics -r -d 'ADDRESS:PORT'
complete -c wascc -n '__fish_seen_subcommand_from run' -l watch -l expand-env
complete -c wascc -n '__fish_seen_subcommand_from call' -l raw -l json
complete -c wascc -n '__fish_seen_subcommand_from test' -l junit -r
complete -c wascc -n '__fish_seen_subcommand_from test' -l json
complete -c wascc -n '__fish_seen_subcommand_from eval' -s i -l input -r
complete -c wascc -n '__fish_seen_subcommand_from eval' -s d -l data -r
complete -c wascc -n '__fish_seen_subcommand_from eval' -s f -l format -x -a 'json pretty raw'
complete -c wascc -n '__fish_seen_subcommand_from eval' -l entrypoint -l now -r
complete -c wascc -n '__fish_seen_subcommand_from eval' -l decide
