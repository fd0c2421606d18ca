# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_mesos_global_optspecs
    string join \n master= profile= o/output= json timeout= principal= secret= secret-file= token= ca-file= insecure v/verbose h/help V/version
end

function __fish_mesos_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_mesos_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_mesos_using_subcommand
    set -l cmd (__fish_mesos_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c mesos -n "__fish_mesos_needs_command" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_needs_command" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_needs_command" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_needs_command" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_needs_command" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_needs_command" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_needs_command" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_needs_command" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_needs_command" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents' -r -F
complete -c mesos -n "__fish_mesos_needs_command" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_needs_command" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_needs_command" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_needs_command" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_needs_command" -f -a "resolve" -d 'Print the leading master as host:port'
complete -c mesos -n "__fish_mesos_needs_command" -f -a "state" -d 'Print the state of the leading master or of one agent as JSON'
complete -c mesos -n "__fish_mesos_needs_command" -f -a "config" -d 'Show and edit settings and profiles'
complete -c mesos -n "__fish_mesos_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c mesos -n "__fish_mesos_needs_command" -f -a "generate-docs" -d 'Regenerate man pages and completion scripts'
complete -c mesos -n "__fish_mesos_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mesos -n "__fish_mesos_using_subcommand resolve" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand resolve" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand resolve" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand resolve" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand resolve" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand resolve" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand resolve" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand resolve" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand resolve" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand resolve" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand resolve" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand resolve" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand resolve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand resolve" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand state" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand state" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand state" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand state" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand state" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand state" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand state" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand state" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand state" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand state" -l summary -d 'Use /master/state-summary (agents and frameworks with task counts)'
complete -c mesos -n "__fish_mesos_using_subcommand state" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand state" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand state" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand state" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand state" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand config" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand config" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand config" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand config" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand config" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand config" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand config" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand config" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand config" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand config" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand config" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand config" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand config" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand config" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand completions" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand completions" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand completions" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand completions" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand completions" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand completions" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand completions" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand completions" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand completions" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand completions" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand completions" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand completions" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand completions" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand generate-docs" -l out -d 'Repository root to write man/ and completions/ into' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand generate-docs" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand generate-docs" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand generate-docs" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand generate-docs" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand generate-docs" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand generate-docs" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand generate-docs" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand generate-docs" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand generate-docs" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand generate-docs" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand generate-docs" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand generate-docs" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand generate-docs" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand generate-docs" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand help; and not __fish_seen_subcommand_from resolve state config completions generate-docs help" -f -a "resolve" -d 'Print the leading master as host:port'
complete -c mesos -n "__fish_mesos_using_subcommand help; and not __fish_seen_subcommand_from resolve state config completions generate-docs help" -f -a "state" -d 'Print the state of the leading master or of one agent as JSON'
complete -c mesos -n "__fish_mesos_using_subcommand help; and not __fish_seen_subcommand_from resolve state config completions generate-docs help" -f -a "config" -d 'Show and edit settings and profiles'
complete -c mesos -n "__fish_mesos_using_subcommand help; and not __fish_seen_subcommand_from resolve state config completions generate-docs help" -f -a "completions" -d 'Print a shell completion script'
complete -c mesos -n "__fish_mesos_using_subcommand help; and not __fish_seen_subcommand_from resolve state config completions generate-docs help" -f -a "generate-docs" -d 'Regenerate man pages and completion scripts'
complete -c mesos -n "__fish_mesos_using_subcommand help; and not __fish_seen_subcommand_from resolve state config completions generate-docs help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
