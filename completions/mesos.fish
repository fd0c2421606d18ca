# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_mesos_global_optspecs
    string join \n master= profile= o/output= json ndjson timeout= principal= secret= secret-file= token= ca-file= insecure v/verbose wire= h/help V/version
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
complete -c mesos -n "__fish_mesos_needs_command" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_needs_command" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_needs_command" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_needs_command" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_needs_command" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_needs_command" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_needs_command" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_needs_command" -f -a "resolve" -d 'Print the leading master as host:port'
complete -c mesos -n "__fish_mesos_needs_command" -f -a "state" -d 'Print the state of the leading master or of one agent as JSON'
complete -c mesos -n "__fish_mesos_needs_command" -f -a "config" -d 'Show and edit settings and profiles'
complete -c mesos -n "__fish_mesos_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c mesos -n "__fish_mesos_needs_command" -f -a "ps" -d 'List tasks with their resources and live CPU and memory usage'
complete -c mesos -n "__fish_mesos_needs_command" -f -a "frameworks" -d 'List frameworks with their resources and task counts'
complete -c mesos -n "__fish_mesos_needs_command" -f -a "agents" -d 'List agents with their resources, attributes and task counts'
complete -c mesos -n "__fish_mesos_needs_command" -f -a "top" -d 'A live, full-screen view of the cluster: agents, busiest tasks, task counts'
complete -c mesos -n "__fish_mesos_needs_command" -f -a "node" -d 'Work with cluster nodes (agents)'
complete -c mesos -n "__fish_mesos_needs_command" -f -a "task" -d 'Work with tasks (metrics)'
complete -c mesos -n "__fish_mesos_needs_command" -f -a "metrics" -d 'Print the raw metrics snapshot of the leading master or of one agent'
complete -c mesos -n "__fish_mesos_needs_command" -f -a "cat" -d 'Print sandbox files of tasks, byte for byte'
complete -c mesos -n "__fish_mesos_needs_command" -f -a "head" -d 'Print the first lines of sandbox files of tasks'
complete -c mesos -n "__fish_mesos_needs_command" -f -a "tail" -d 'Print the end of sandbox files of tasks, or follow them'
complete -c mesos -n "__fish_mesos_needs_command" -f -a "ls" -d 'List files in a task\'s sandbox'
complete -c mesos -n "__fish_mesos_needs_command" -f -a "find" -d 'List a task\'s sandbox recursively'
complete -c mesos -n "__fish_mesos_needs_command" -f -a "download" -d 'Copy files or whole directories out of a task\'s sandbox'
complete -c mesos -n "__fish_mesos_needs_command" -f -a "ssh" -d 'Open a shell in a task\'s sandbox on its agent (over ssh)'
complete -c mesos -n "__fish_mesos_needs_command" -f -a "scp" -d 'Copy local files to a directory on every agent, in parallel'
complete -c mesos -n "__fish_mesos_needs_command" -f -a "events" -d 'Follow cluster events: tasks, frameworks and agents as they change'
complete -c mesos -n "__fish_mesos_needs_command" -f -a "execute" -d 'Run a one-off task on the cluster and exit with its outcome'
complete -c mesos -n "__fish_mesos_needs_command" -f -a "exec" -d 'Run a command inside a running task\'s container'
complete -c mesos -n "__fish_mesos_needs_command" -f -a "attach" -d 'Attach to the terminal of a task launched with a TTY'
complete -c mesos -n "__fish_mesos_needs_command" -f -a "kill" -d 'Kill tasks started by `mesos execute --detach`'
complete -c mesos -n "__fish_mesos_needs_command" -f -a "teardown" -d 'Tear down frameworks, killing all their tasks (operators)'
complete -c mesos -n "__fish_mesos_needs_command" -f -a "health" -d 'Check the health of a running cluster, one line per check (Nagios plugin)'
complete -c mesos -n "__fish_mesos_needs_command" -f -a "doctor" -d 'Check the health of a running cluster, one line per check (Nagios plugin)'
complete -c mesos -n "__fish_mesos_needs_command" -f -a "cluster" -d 'Start, check and stop a real Mesos cluster (locally or over SSH)'
complete -c mesos -n "__fish_mesos_needs_command" -f -a "app" -d 'Run and change long-running services on Marathon'
complete -c mesos -n "__fish_mesos_needs_command" -f -a "deployment" -d 'List and roll back Marathon deployments'
complete -c mesos -n "__fish_mesos_needs_command" -f -a "package" -d 'Find, install and remove packages (DC/OS Universe format) on Marathon'
complete -c mesos -n "__fish_mesos_needs_command" -f -a "serve" -d 'Run a small built-in service (the programs of the built-in packages)'
complete -c mesos -n "__fish_mesos_needs_command" -f -a "master" -d 'Run the bundled Mesos master daemon (real Mesos flags and HTTP APIs)'
complete -c mesos -n "__fish_mesos_needs_command" -f -a "agent" -d 'Run the bundled Mesos agent daemon (runs real tasks in real sandboxes)'
complete -c mesos -n "__fish_mesos_needs_command" -f -a "marathon" -d 'Run the bundled Marathon-compatible service scheduler (Marathon 1.5 REST API)'
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
complete -c mesos -n "__fish_mesos_using_subcommand resolve" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand resolve" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand resolve" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand resolve" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
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
complete -c mesos -n "__fish_mesos_using_subcommand state" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand state" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand state" -l summary -d 'Use /master/state-summary (agents and frameworks with task counts)'
complete -c mesos -n "__fish_mesos_using_subcommand state" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand state" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand state" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand state" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand state" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand state" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand config; and not __fish_seen_subcommand_from show get set unset profiles use delete path import help" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand config; and not __fish_seen_subcommand_from show get set unset profiles use delete path import help" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand config; and not __fish_seen_subcommand_from show get set unset profiles use delete path import help" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand config; and not __fish_seen_subcommand_from show get set unset profiles use delete path import help" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand config; and not __fish_seen_subcommand_from show get set unset profiles use delete path import help" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand config; and not __fish_seen_subcommand_from show get set unset profiles use delete path import help" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand config; and not __fish_seen_subcommand_from show get set unset profiles use delete path import help" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand config; and not __fish_seen_subcommand_from show get set unset profiles use delete path import help" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand config; and not __fish_seen_subcommand_from show get set unset profiles use delete path import help" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand config; and not __fish_seen_subcommand_from show get set unset profiles use delete path import help" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand config; and not __fish_seen_subcommand_from show get set unset profiles use delete path import help" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand config; and not __fish_seen_subcommand_from show get set unset profiles use delete path import help" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand config; and not __fish_seen_subcommand_from show get set unset profiles use delete path import help" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand config; and not __fish_seen_subcommand_from show get set unset profiles use delete path import help" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand config; and not __fish_seen_subcommand_from show get set unset profiles use delete path import help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand config; and not __fish_seen_subcommand_from show get set unset profiles use delete path import help" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand config; and not __fish_seen_subcommand_from show get set unset profiles use delete path import help" -f -a "show" -d 'Print the whole config file'
complete -c mesos -n "__fish_mesos_using_subcommand config; and not __fish_seen_subcommand_from show get set unset profiles use delete path import help" -f -a "get" -d 'Print one setting of the profile'
complete -c mesos -n "__fish_mesos_using_subcommand config; and not __fish_seen_subcommand_from show get set unset profiles use delete path import help" -f -a "set" -d 'Set one setting of the profile'
complete -c mesos -n "__fish_mesos_using_subcommand config; and not __fish_seen_subcommand_from show get set unset profiles use delete path import help" -f -a "unset" -d 'Remove one setting from the profile'
complete -c mesos -n "__fish_mesos_using_subcommand config; and not __fish_seen_subcommand_from show get set unset profiles use delete path import help" -f -a "profiles" -d 'List the profiles'
complete -c mesos -n "__fish_mesos_using_subcommand config; and not __fish_seen_subcommand_from show get set unset profiles use delete path import help" -f -a "use" -d 'Make a profile the active one'
complete -c mesos -n "__fish_mesos_using_subcommand config; and not __fish_seen_subcommand_from show get set unset profiles use delete path import help" -f -a "delete" -d 'Delete a profile'
complete -c mesos -n "__fish_mesos_using_subcommand config; and not __fish_seen_subcommand_from show get set unset profiles use delete path import help" -f -a "path" -d 'Print the config file path'
complete -c mesos -n "__fish_mesos_using_subcommand config; and not __fish_seen_subcommand_from show get set unset profiles use delete path import help" -f -a "import" -d 'Import the older Python mesos-cli JSON config'
complete -c mesos -n "__fish_mesos_using_subcommand config; and not __fish_seen_subcommand_from show get set unset profiles use delete path import help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from show" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from show" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from show" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from show" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from show" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from show" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from show" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from show" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from show" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from show" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from show" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from show" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from show" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from get" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from get" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from get" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from get" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from get" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from get" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from get" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from get" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from get" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from get" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from get" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from get" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from get" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from get" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from get" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from get" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from set" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from set" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from set" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from set" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from set" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from set" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from set" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from set" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from set" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from set" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from set" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from set" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from set" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from set" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from set" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from unset" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from unset" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from unset" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from unset" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from unset" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from unset" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from unset" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from unset" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from unset" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from unset" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from unset" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from unset" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from unset" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from unset" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from unset" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from unset" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from profiles" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from profiles" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from profiles" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from profiles" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from profiles" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from profiles" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from profiles" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from profiles" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from profiles" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from profiles" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from profiles" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from profiles" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from profiles" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from profiles" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from profiles" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from profiles" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from use" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from use" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from use" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from use" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from use" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from use" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from use" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from use" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from use" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from use" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from use" -l create -d 'Create the profile (empty) if it does not exist'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from use" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from use" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from use" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from use" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from use" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from use" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from delete" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from delete" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from delete" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from delete" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from delete" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from delete" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from delete" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from delete" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from delete" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from delete" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from delete" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from delete" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from delete" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from delete" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from delete" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from path" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from path" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from path" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from path" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from path" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from path" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from path" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from path" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from path" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from path" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from path" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from path" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from path" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from path" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from path" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from path" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from import" -l as -d 'Profile name for a flat file, or the prefix (AS-NAME) for a file with profiles' -r
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from import" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from import" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from import" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from import" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from import" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from import" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from import" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from import" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from import" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from import" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from import" -l force -d 'Replace profiles that already exist'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from import" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from import" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from import" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from import" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from import" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from import" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "show" -d 'Print the whole config file'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "get" -d 'Print one setting of the profile'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "set" -d 'Set one setting of the profile'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "unset" -d 'Remove one setting from the profile'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "profiles" -d 'List the profiles'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "use" -d 'Make a profile the active one'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete a profile'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "path" -d 'Print the config file path'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "import" -d 'Import the older Python mesos-cli JSON config'
complete -c mesos -n "__fish_mesos_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
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
complete -c mesos -n "__fish_mesos_using_subcommand completions" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand completions" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand completions" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand completions" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand completions" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand completions" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand completions" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand ps" -l framework -d 'Only tasks of this framework (id, id prefix or name)' -r
complete -c mesos -n "__fish_mesos_using_subcommand ps" -l agent -d 'Only tasks on this agent (id, id prefix, hostname or IP)' -r
complete -c mesos -n "__fish_mesos_using_subcommand ps" -l state -d 'Only tasks in these states (running, failed, ...; repeat or comma-separate)' -r
complete -c mesos -n "__fish_mesos_using_subcommand ps" -l label -d 'Only tasks with this label: KEY=VALUE, or KEY for any value (repeatable; all must match)' -r
complete -c mesos -n "__fish_mesos_using_subcommand ps" -l parallel -d 'Agents asked at once' -r
complete -c mesos -n "__fish_mesos_using_subcommand ps" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand ps" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand ps" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand ps" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand ps" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand ps" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand ps" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand ps" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand ps" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand ps" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand ps" -l regex -d 'Treat TASK as a regular expression, searched in task ids and names'
complete -c mesos -n "__fish_mesos_using_subcommand ps" -s i -l inactive -d 'Also completed tasks (finished, failed, killed, lost, ...)'
complete -c mesos -n "__fish_mesos_using_subcommand ps" -s a -l all -d 'Active and completed tasks (same as -i)'
complete -c mesos -n "__fish_mesos_using_subcommand ps" -l no-usage -d 'Do not ask the agents for usage (only the master is asked)'
complete -c mesos -n "__fish_mesos_using_subcommand ps" -s q -l quiet -d 'Print task ids only'
complete -c mesos -n "__fish_mesos_using_subcommand ps" -s w -l wide -d 'Also USER (the task\'s, else its framework\'s) and COMMAND (the executor\'s name, from the agents), and never cut to the terminal\'s width'
complete -c mesos -n "__fish_mesos_using_subcommand ps" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand ps" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand ps" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand ps" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand ps" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand ps" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand frameworks" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand frameworks" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand frameworks" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand frameworks" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand frameworks" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand frameworks" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand frameworks" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand frameworks" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand frameworks" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand frameworks" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand frameworks" -s i -l inactive -l all -d 'Also completed frameworks'
complete -c mesos -n "__fish_mesos_using_subcommand frameworks" -s q -l quiet -d 'Print framework ids only'
complete -c mesos -n "__fish_mesos_using_subcommand frameworks" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand frameworks" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand frameworks" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand frameworks" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand frameworks" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand frameworks" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand agents" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand agents" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand agents" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand agents" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand agents" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand agents" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand agents" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand agents" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand agents" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand agents" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand agents" -s q -l quiet -d 'Print agent ids only'
complete -c mesos -n "__fish_mesos_using_subcommand agents" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand agents" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand agents" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand agents" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand agents" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand agents" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand top" -l interval -d 'Time between refreshes' -r
complete -c mesos -n "__fish_mesos_using_subcommand top" -l tasks -d 'Tasks printed by --once' -r
complete -c mesos -n "__fish_mesos_using_subcommand top" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand top" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand top" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand top" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand top" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand top" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand top" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand top" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand top" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand top" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand top" -l once -d 'Print one frame as plain text and exit (also when stdout is not a terminal)'
complete -c mesos -n "__fish_mesos_using_subcommand top" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand top" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand top" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand top" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand top" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand top" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand node; and not __fish_seen_subcommand_from list ssh exec metrics help" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand node; and not __fish_seen_subcommand_from list ssh exec metrics help" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand node; and not __fish_seen_subcommand_from list ssh exec metrics help" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand node; and not __fish_seen_subcommand_from list ssh exec metrics help" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand node; and not __fish_seen_subcommand_from list ssh exec metrics help" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand node; and not __fish_seen_subcommand_from list ssh exec metrics help" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand node; and not __fish_seen_subcommand_from list ssh exec metrics help" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand node; and not __fish_seen_subcommand_from list ssh exec metrics help" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand node; and not __fish_seen_subcommand_from list ssh exec metrics help" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand node; and not __fish_seen_subcommand_from list ssh exec metrics help" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand node; and not __fish_seen_subcommand_from list ssh exec metrics help" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand node; and not __fish_seen_subcommand_from list ssh exec metrics help" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand node; and not __fish_seen_subcommand_from list ssh exec metrics help" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand node; and not __fish_seen_subcommand_from list ssh exec metrics help" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand node; and not __fish_seen_subcommand_from list ssh exec metrics help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand node; and not __fish_seen_subcommand_from list ssh exec metrics help" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand node; and not __fish_seen_subcommand_from list ssh exec metrics help" -f -a "list" -d 'List agents with their resources, attributes and task counts'
complete -c mesos -n "__fish_mesos_using_subcommand node; and not __fish_seen_subcommand_from list ssh exec metrics help" -f -a "ssh" -d 'Open a shell on an agent or master (over ssh)'
complete -c mesos -n "__fish_mesos_using_subcommand node; and not __fish_seen_subcommand_from list ssh exec metrics help" -f -a "exec" -d 'Run a command on many agents in parallel over SSH'
complete -c mesos -n "__fish_mesos_using_subcommand node; and not __fish_seen_subcommand_from list ssh exec metrics help" -f -a "metrics" -d 'Node metrics of agents (CPU, load, memory, disk; every datapoint)'
complete -c mesos -n "__fish_mesos_using_subcommand node; and not __fish_seen_subcommand_from list ssh exec metrics help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from list" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from list" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from list" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from list" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from list" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from list" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from list" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from list" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from list" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print agent ids only'
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from list" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from list" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from list" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from list" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from ssh" -l jump -d 'Reach the host through this jump host ([USER@]HOST[:PORT], comma-separate for a chain; ssh -J)' -r
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from ssh" -l option -d 'An ssh option for the destination: -o KEY=VALUE, e.g. -o ServerAliveInterval=30 (repeatable)' -r
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from ssh" -l user -d 'Log in as USER [default: the profile\'s ssh_user, then ~/.ssh/config, then the local user]' -r
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from ssh" -l port -d 'SSH port [default: the profile\'s ssh_port, then ~/.ssh/config, then 22]' -r
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from ssh" -s i -l identity -d 'Private key file [default: the profile\'s ssh_key, then ~/.ssh/config, then the SSH agent and ~/.ssh/id_*]' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from ssh" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from ssh" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from ssh" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from ssh" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from ssh" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from ssh" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from ssh" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from ssh" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from ssh" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from ssh" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from ssh" -l leader -d 'SSH to the leading master'
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from ssh" -l accept-new-host-keys -d 'Accept and record host keys not yet in ~/.ssh/known_hosts (a changed key is always refused)'
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from ssh" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from ssh" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from ssh" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from ssh" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from ssh" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from ssh" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from exec" -l agent -d 'Only this agent: id, id prefix, hostname, hostname prefix or IP (repeat or comma-separate)' -r
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from exec" -l attribute -d 'Only agents with this attribute: NAME:VALUE, or NAME for any value (repeatable; all must match)' -r
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from exec" -l parallel -d 'Run on at most N hosts at once' -r
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from exec" -l user -d 'Log in as USER [default: the profile\'s ssh_user, then ~/.ssh/config, then the local user]' -r
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from exec" -l port -d 'SSH port [default: the profile\'s ssh_port, then ~/.ssh/config, then 22]' -r
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from exec" -s i -l identity -d 'Private key file [default: the profile\'s ssh_key, then ~/.ssh/config, then the SSH agent and ~/.ssh/id_*]' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from exec" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from exec" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from exec" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from exec" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from exec" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from exec" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from exec" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from exec" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from exec" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from exec" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from exec" -l accept-new-host-keys -d 'Accept and record host keys not yet in ~/.ssh/known_hosts (a changed key is always refused)'
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from exec" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from exec" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from exec" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from exec" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from exec" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from exec" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from metrics" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from metrics" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from metrics" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from metrics" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from metrics" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from metrics" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from metrics" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from metrics" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from metrics" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from metrics" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from metrics" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from metrics" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from metrics" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from metrics" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from metrics" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from metrics" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from metrics" -f -a "summary" -d 'One row per agent: CPU %, load, memory and disk (on /) used/total, tasks'
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from metrics" -f -a "details" -d 'Every datapoint of one agent: NAME, VALUE, UNIT, TAGS'
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from metrics" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from help" -f -a "list" -d 'List agents with their resources, attributes and task counts'
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from help" -f -a "ssh" -d 'Open a shell on an agent or master (over ssh)'
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from help" -f -a "exec" -d 'Run a command on many agents in parallel over SSH'
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from help" -f -a "metrics" -d 'Node metrics of agents (CPU, load, memory, disk; every datapoint)'
complete -c mesos -n "__fish_mesos_using_subcommand node; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mesos -n "__fish_mesos_using_subcommand task; and not __fish_seen_subcommand_from metrics help" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand task; and not __fish_seen_subcommand_from metrics help" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand task; and not __fish_seen_subcommand_from metrics help" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand task; and not __fish_seen_subcommand_from metrics help" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand task; and not __fish_seen_subcommand_from metrics help" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand task; and not __fish_seen_subcommand_from metrics help" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand task; and not __fish_seen_subcommand_from metrics help" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand task; and not __fish_seen_subcommand_from metrics help" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand task; and not __fish_seen_subcommand_from metrics help" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand task; and not __fish_seen_subcommand_from metrics help" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand task; and not __fish_seen_subcommand_from metrics help" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand task; and not __fish_seen_subcommand_from metrics help" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand task; and not __fish_seen_subcommand_from metrics help" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand task; and not __fish_seen_subcommand_from metrics help" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand task; and not __fish_seen_subcommand_from metrics help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand task; and not __fish_seen_subcommand_from metrics help" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand task; and not __fish_seen_subcommand_from metrics help" -f -a "metrics" -d 'Container metrics of tasks (CPU times, memory, disk; every datapoint)'
complete -c mesos -n "__fish_mesos_using_subcommand task; and not __fish_seen_subcommand_from metrics help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mesos -n "__fish_mesos_using_subcommand task; and __fish_seen_subcommand_from metrics" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand task; and __fish_seen_subcommand_from metrics" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand task; and __fish_seen_subcommand_from metrics" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand task; and __fish_seen_subcommand_from metrics" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand task; and __fish_seen_subcommand_from metrics" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand task; and __fish_seen_subcommand_from metrics" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand task; and __fish_seen_subcommand_from metrics" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand task; and __fish_seen_subcommand_from metrics" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand task; and __fish_seen_subcommand_from metrics" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand task; and __fish_seen_subcommand_from metrics" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand task; and __fish_seen_subcommand_from metrics" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand task; and __fish_seen_subcommand_from metrics" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand task; and __fish_seen_subcommand_from metrics" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand task; and __fish_seen_subcommand_from metrics" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand task; and __fish_seen_subcommand_from metrics" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand task; and __fish_seen_subcommand_from metrics" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand task; and __fish_seen_subcommand_from metrics" -f -a "summary" -d 'CPU user/system/throttled time, CPUs, memory and disk used/limit of the matching tasks'
complete -c mesos -n "__fish_mesos_using_subcommand task; and __fish_seen_subcommand_from metrics" -f -a "details" -d 'Every container and app datapoint of one task: NAME, VALUE, UNIT, TAGS'
complete -c mesos -n "__fish_mesos_using_subcommand task; and __fish_seen_subcommand_from metrics" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mesos -n "__fish_mesos_using_subcommand task; and __fish_seen_subcommand_from help" -f -a "metrics" -d 'Container metrics of tasks (CPU times, memory, disk; every datapoint)'
complete -c mesos -n "__fish_mesos_using_subcommand task; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mesos -n "__fish_mesos_using_subcommand metrics" -l prefix -d 'Only metrics whose name starts with PREFIX (e.g. `master/`, `system/`)' -r
complete -c mesos -n "__fish_mesos_using_subcommand metrics" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand metrics" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand metrics" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand metrics" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand metrics" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand metrics" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand metrics" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand metrics" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand metrics" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand metrics" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand metrics" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand metrics" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand metrics" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand metrics" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand metrics" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand metrics" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand cat" -l framework -d 'Only tasks of this framework (id, id prefix or name)' -r
complete -c mesos -n "__fish_mesos_using_subcommand cat" -l agent -d 'Only tasks on this agent (id, id prefix, hostname or IP)' -r
complete -c mesos -n "__fish_mesos_using_subcommand cat" -l state -d 'Only tasks in these states (running, failed, ...; repeat or comma-separate)' -r
complete -c mesos -n "__fish_mesos_using_subcommand cat" -l label -d 'Only tasks with this label: KEY=VALUE, or KEY for any value (repeatable; all must match)' -r
complete -c mesos -n "__fish_mesos_using_subcommand cat" -l parallel -d 'Agents asked at once while locating sandboxes' -r
complete -c mesos -n "__fish_mesos_using_subcommand cat" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand cat" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand cat" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand cat" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand cat" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand cat" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand cat" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand cat" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand cat" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand cat" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand cat" -l regex -d 'Treat TASK as a regular expression, searched in task ids and names'
complete -c mesos -n "__fish_mesos_using_subcommand cat" -s i -l inactive -d 'Also completed tasks (finished, failed, killed, lost, ...)'
complete -c mesos -n "__fish_mesos_using_subcommand cat" -s a -l all -d 'Active and completed tasks (same as -i)'
complete -c mesos -n "__fish_mesos_using_subcommand cat" -s q -l quiet -d 'Never print `==> task:file <==` headers'
complete -c mesos -n "__fish_mesos_using_subcommand cat" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand cat" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand cat" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand cat" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand cat" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand cat" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand head" -s n -l lines -d 'Number of lines' -r
complete -c mesos -n "__fish_mesos_using_subcommand head" -l framework -d 'Only tasks of this framework (id, id prefix or name)' -r
complete -c mesos -n "__fish_mesos_using_subcommand head" -l agent -d 'Only tasks on this agent (id, id prefix, hostname or IP)' -r
complete -c mesos -n "__fish_mesos_using_subcommand head" -l state -d 'Only tasks in these states (running, failed, ...; repeat or comma-separate)' -r
complete -c mesos -n "__fish_mesos_using_subcommand head" -l label -d 'Only tasks with this label: KEY=VALUE, or KEY for any value (repeatable; all must match)' -r
complete -c mesos -n "__fish_mesos_using_subcommand head" -l parallel -d 'Agents asked at once while locating sandboxes' -r
complete -c mesos -n "__fish_mesos_using_subcommand head" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand head" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand head" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand head" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand head" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand head" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand head" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand head" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand head" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand head" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand head" -l regex -d 'Treat TASK as a regular expression, searched in task ids and names'
complete -c mesos -n "__fish_mesos_using_subcommand head" -s i -l inactive -d 'Also completed tasks (finished, failed, killed, lost, ...)'
complete -c mesos -n "__fish_mesos_using_subcommand head" -s a -l all -d 'Active and completed tasks (same as -i)'
complete -c mesos -n "__fish_mesos_using_subcommand head" -s q -l quiet -d 'Never print `==> task:file <==` headers'
complete -c mesos -n "__fish_mesos_using_subcommand head" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand head" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand head" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand head" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand head" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand head" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand tail" -s n -l lines -d 'Number of lines to print first' -r
complete -c mesos -n "__fish_mesos_using_subcommand tail" -l framework -d 'Only tasks of this framework (id, id prefix or name)' -r
complete -c mesos -n "__fish_mesos_using_subcommand tail" -l agent -d 'Only tasks on this agent (id, id prefix, hostname or IP)' -r
complete -c mesos -n "__fish_mesos_using_subcommand tail" -l state -d 'Only tasks in these states (running, failed, ...; repeat or comma-separate)' -r
complete -c mesos -n "__fish_mesos_using_subcommand tail" -l label -d 'Only tasks with this label: KEY=VALUE, or KEY for any value (repeatable; all must match)' -r
complete -c mesos -n "__fish_mesos_using_subcommand tail" -l parallel -d 'Agents asked at once while locating sandboxes' -r
complete -c mesos -n "__fish_mesos_using_subcommand tail" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand tail" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand tail" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand tail" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand tail" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand tail" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand tail" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand tail" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand tail" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand tail" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand tail" -s f -l follow -d 'Keep printing appended data (and files of new matching tasks)'
complete -c mesos -n "__fish_mesos_using_subcommand tail" -l until-done -d 'With -f: exit when every followed task has ended'
complete -c mesos -n "__fish_mesos_using_subcommand tail" -l regex -d 'Treat TASK as a regular expression, searched in task ids and names'
complete -c mesos -n "__fish_mesos_using_subcommand tail" -s i -l inactive -d 'Also completed tasks (finished, failed, killed, lost, ...)'
complete -c mesos -n "__fish_mesos_using_subcommand tail" -s a -l all -d 'Active and completed tasks (same as -i)'
complete -c mesos -n "__fish_mesos_using_subcommand tail" -s q -l quiet -d 'Never print `==> task:file <==` headers'
complete -c mesos -n "__fish_mesos_using_subcommand tail" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand tail" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand tail" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand tail" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand tail" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand tail" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand ls" -l framework -d 'Only tasks of this framework (id, id prefix or name)' -r
complete -c mesos -n "__fish_mesos_using_subcommand ls" -l agent -d 'Only tasks on this agent (id, id prefix, hostname or IP)' -r
complete -c mesos -n "__fish_mesos_using_subcommand ls" -l state -d 'Only tasks in these states (running, failed, ...; repeat or comma-separate)' -r
complete -c mesos -n "__fish_mesos_using_subcommand ls" -l label -d 'Only tasks with this label: KEY=VALUE, or KEY for any value (repeatable; all must match)' -r
complete -c mesos -n "__fish_mesos_using_subcommand ls" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand ls" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand ls" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand ls" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand ls" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand ls" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand ls" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand ls" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand ls" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand ls" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand ls" -s l -l long -d 'Long listing: mode, links, user, group, size, time, name'
complete -c mesos -n "__fish_mesos_using_subcommand ls" -l regex -d 'Treat TASK as a regular expression, searched in task ids and names'
complete -c mesos -n "__fish_mesos_using_subcommand ls" -s i -l inactive -d 'Also completed tasks (finished, failed, killed, lost, ...)'
complete -c mesos -n "__fish_mesos_using_subcommand ls" -s a -l all -d 'Active and completed tasks (same as -i)'
complete -c mesos -n "__fish_mesos_using_subcommand ls" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand ls" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand ls" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand ls" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand ls" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand find" -l name -d 'Only entries whose name matches this glob' -r
complete -c mesos -n "__fish_mesos_using_subcommand find" -l type -d 'Only files or only directories' -r -f -a "f\t'Regular files (and anything that is not a directory)'
d\t'Directories'"
complete -c mesos -n "__fish_mesos_using_subcommand find" -l framework -d 'Only tasks of this framework (id, id prefix or name)' -r
complete -c mesos -n "__fish_mesos_using_subcommand find" -l agent -d 'Only tasks on this agent (id, id prefix, hostname or IP)' -r
complete -c mesos -n "__fish_mesos_using_subcommand find" -l state -d 'Only tasks in these states (running, failed, ...; repeat or comma-separate)' -r
complete -c mesos -n "__fish_mesos_using_subcommand find" -l label -d 'Only tasks with this label: KEY=VALUE, or KEY for any value (repeatable; all must match)' -r
complete -c mesos -n "__fish_mesos_using_subcommand find" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand find" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand find" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand find" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand find" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand find" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand find" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand find" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand find" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand find" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand find" -s l -l long -d 'Long lines: mode, links, user, group, size, time, path'
complete -c mesos -n "__fish_mesos_using_subcommand find" -l regex -d 'Treat TASK as a regular expression, searched in task ids and names'
complete -c mesos -n "__fish_mesos_using_subcommand find" -s i -l inactive -d 'Also completed tasks (finished, failed, killed, lost, ...)'
complete -c mesos -n "__fish_mesos_using_subcommand find" -s a -l all -d 'Active and completed tasks (same as -i)'
complete -c mesos -n "__fish_mesos_using_subcommand find" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand find" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand find" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand find" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand find" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand find" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand download" -l to -d 'Local directory to write into' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand download" -l framework -d 'Only tasks of this framework (id, id prefix or name)' -r
complete -c mesos -n "__fish_mesos_using_subcommand download" -l agent -d 'Only tasks on this agent (id, id prefix, hostname or IP)' -r
complete -c mesos -n "__fish_mesos_using_subcommand download" -l state -d 'Only tasks in these states (running, failed, ...; repeat or comma-separate)' -r
complete -c mesos -n "__fish_mesos_using_subcommand download" -l label -d 'Only tasks with this label: KEY=VALUE, or KEY for any value (repeatable; all must match)' -r
complete -c mesos -n "__fish_mesos_using_subcommand download" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand download" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand download" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand download" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand download" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand download" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand download" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand download" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand download" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand download" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand download" -l regex -d 'Treat TASK as a regular expression, searched in task ids and names'
complete -c mesos -n "__fish_mesos_using_subcommand download" -s i -l inactive -d 'Also completed tasks (finished, failed, killed, lost, ...)'
complete -c mesos -n "__fish_mesos_using_subcommand download" -s a -l all -d 'Active and completed tasks (same as -i)'
complete -c mesos -n "__fish_mesos_using_subcommand download" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand download" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand download" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand download" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand download" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand download" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand ssh" -l jump -d 'Reach the host through this jump host ([USER@]HOST[:PORT], comma-separate for a chain; ssh -J)' -r
complete -c mesos -n "__fish_mesos_using_subcommand ssh" -l option -d 'An ssh option for the destination: -o KEY=VALUE, e.g. -o ServerAliveInterval=30 (repeatable)' -r
complete -c mesos -n "__fish_mesos_using_subcommand ssh" -l user -d 'Log in as USER [default: the profile\'s ssh_user, then ~/.ssh/config, then the local user]' -r
complete -c mesos -n "__fish_mesos_using_subcommand ssh" -l port -d 'SSH port [default: the profile\'s ssh_port, then ~/.ssh/config, then 22]' -r
complete -c mesos -n "__fish_mesos_using_subcommand ssh" -s i -l identity -d 'Private key file [default: the profile\'s ssh_key, then ~/.ssh/config, then the SSH agent and ~/.ssh/id_*]' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand ssh" -l framework -d 'Only tasks of this framework (id, id prefix or name)' -r
complete -c mesos -n "__fish_mesos_using_subcommand ssh" -l agent -d 'Only tasks on this agent (id, id prefix, hostname or IP)' -r
complete -c mesos -n "__fish_mesos_using_subcommand ssh" -l state -d 'Only tasks in these states (running, failed, ...; repeat or comma-separate)' -r
complete -c mesos -n "__fish_mesos_using_subcommand ssh" -l label -d 'Only tasks with this label: KEY=VALUE, or KEY for any value (repeatable; all must match)' -r
complete -c mesos -n "__fish_mesos_using_subcommand ssh" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand ssh" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand ssh" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand ssh" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand ssh" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand ssh" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand ssh" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand ssh" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand ssh" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand ssh" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand ssh" -l accept-new-host-keys -d 'Accept and record host keys not yet in ~/.ssh/known_hosts (a changed key is always refused)'
complete -c mesos -n "__fish_mesos_using_subcommand ssh" -l regex -d 'Treat TASK as a regular expression, searched in task ids and names'
complete -c mesos -n "__fish_mesos_using_subcommand ssh" -l inactive -d 'Also completed tasks (their sandboxes stay until the agent collects them)'
complete -c mesos -n "__fish_mesos_using_subcommand ssh" -s a -l all -d 'Active and completed tasks (same as --inactive)'
complete -c mesos -n "__fish_mesos_using_subcommand ssh" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand ssh" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand ssh" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand ssh" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand ssh" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand ssh" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand scp" -l agent -d 'Only this agent: id, id prefix, hostname, hostname prefix or IP (repeat or comma-separate)' -r
complete -c mesos -n "__fish_mesos_using_subcommand scp" -l attribute -d 'Only agents with this attribute: NAME:VALUE, or NAME for any value (repeatable; all must match)' -r
complete -c mesos -n "__fish_mesos_using_subcommand scp" -l parallel -d 'Copy to at most N hosts at once' -r
complete -c mesos -n "__fish_mesos_using_subcommand scp" -l user -d 'Log in as USER [default: the profile\'s ssh_user, then ~/.ssh/config, then the local user]' -r
complete -c mesos -n "__fish_mesos_using_subcommand scp" -l port -d 'SSH port [default: the profile\'s ssh_port, then ~/.ssh/config, then 22]' -r
complete -c mesos -n "__fish_mesos_using_subcommand scp" -s i -l identity -d 'Private key file [default: the profile\'s ssh_key, then ~/.ssh/config, then the SSH agent and ~/.ssh/id_*]' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand scp" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand scp" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand scp" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand scp" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand scp" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand scp" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand scp" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand scp" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand scp" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand scp" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand scp" -l accept-new-host-keys -d 'Accept and record host keys not yet in ~/.ssh/known_hosts (a changed key is always refused)'
complete -c mesos -n "__fish_mesos_using_subcommand scp" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand scp" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand scp" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand scp" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand scp" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand scp" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand events" -l type -d 'Only these event types (e.g. TASK_UPDATED,AGENT_ADDED; repeat or comma-separate)' -r
complete -c mesos -n "__fish_mesos_using_subcommand events" -s n -l lines -d 'With --logs: lines to print first from each log' -r
complete -c mesos -n "__fish_mesos_using_subcommand events" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand events" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand events" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand events" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand events" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand events" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand events" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand events" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand events" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand events" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand events" -l logs -d 'Follow the master and agent logs instead of the event stream'
complete -c mesos -n "__fish_mesos_using_subcommand events" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand events" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand events" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand events" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand events" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand events" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand execute" -l name -d 'Task name, and task id for a single instance (default: execute-<random>)' -r
complete -c mesos -n "__fish_mesos_using_subcommand execute" -s c -l command -d 'Shell command to run (`sh -c`)' -r
complete -c mesos -n "__fish_mesos_using_subcommand execute" -l resources -d 'Resources per task, e.g. \'cpus:0.5;mem:256;disk:100;ports:[31000-31000]\'' -r
complete -c mesos -n "__fish_mesos_using_subcommand execute" -s e -l env -d 'Environment variable for the command (NAME=VALUE; can be repeated)' -r
complete -c mesos -n "__fish_mesos_using_subcommand execute" -l role -d 'Role the framework registers with' -r
complete -c mesos -n "__fish_mesos_using_subcommand execute" -l framework-name -d 'Name of the framework' -r
complete -c mesos -n "__fish_mesos_using_subcommand execute" -l user -d 'User to run the task as (default: the current user)' -r
complete -c mesos -n "__fish_mesos_using_subcommand execute" -l constraint -d 'Only use agents whose attribute ATTR is VALUE (can be repeated)' -r
complete -c mesos -n "__fish_mesos_using_subcommand execute" -l uri -d 'URI the agent fetches into the sandbox before the command starts (can be repeated)' -r
complete -c mesos -n "__fish_mesos_using_subcommand execute" -l instances -d 'Run N copies of the task (ids NAME-1..NAME-N) in one framework' -r
complete -c mesos -n "__fish_mesos_using_subcommand execute" -l task -d 'TaskInfo JSON (inline, a path or file://) to launch instead of --command' -r
complete -c mesos -n "__fish_mesos_using_subcommand execute" -l task-group -d 'TaskGroupInfo JSON (inline, a path or file://) to launch with LAUNCH_GROUP' -r
complete -c mesos -n "__fish_mesos_using_subcommand execute" -l docker-image -d 'Run the command in this Docker image' -r
complete -c mesos -n "__fish_mesos_using_subcommand execute" -l containerizer -d 'Container type for --docker-image' -r -f -a "docker\t'ContainerInfo type DOCKER (the agent needs `--containerizers=docker,...`)'
mesos\t'ContainerInfo type MESOS with a Docker image (the agent needs `--image_providers=docker`)'"
complete -c mesos -n "__fish_mesos_using_subcommand execute" -l kill-after -d 'Kill the task this long after it is running (e.g. 30s, 5m)' -r
complete -c mesos -n "__fish_mesos_using_subcommand execute" -l grace-period -d 'Grace period between SIGTERM and SIGKILL when the task is killed' -r
complete -c mesos -n "__fish_mesos_using_subcommand execute" -l offer-timeout -d 'Give up when no offer fits within this long' -r
complete -c mesos -n "__fish_mesos_using_subcommand execute" -l failover-timeout -d 'With --detach: how long the master keeps the framework without a scheduler' -r
complete -c mesos -n "__fish_mesos_using_subcommand execute" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand execute" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand execute" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand execute" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand execute" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand execute" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand execute" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand execute" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand execute" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand execute" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand execute" -l extract -d 'Extract fetched archives (--uri)'
complete -c mesos -n "__fish_mesos_using_subcommand execute" -l checkpoint -d 'Ask agents to checkpoint the framework (tasks survive agent restarts)'
complete -c mesos -n "__fish_mesos_using_subcommand execute" -s f -l follow -d 'Stream the task\'s stdout and stderr while it runs'
complete -c mesos -n "__fish_mesos_using_subcommand execute" -s d -l detach -d 'Return once the task is running; stop it later with `mesos kill TASK`'
complete -c mesos -n "__fish_mesos_using_subcommand execute" -s t -l tty -d 'Give the command a TTY (a MESOS container with tty_info), to attach to with `mesos attach`'
complete -c mesos -n "__fish_mesos_using_subcommand execute" -s q -l quiet -d 'Print no progress on stderr (errors only)'
complete -c mesos -n "__fish_mesos_using_subcommand execute" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand execute" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand execute" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand execute" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand execute" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand execute" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand exec" -s u -l user -d 'User to run the command as (default: the task\'s user)' -r
complete -c mesos -n "__fish_mesos_using_subcommand exec" -l detach-keys -d 'Keys that leave a TTY session: ctrl-X or single characters, comma-separated ("" = none)' -r
complete -c mesos -n "__fish_mesos_using_subcommand exec" -l framework -d 'Only tasks of this framework (id, id prefix or name)' -r
complete -c mesos -n "__fish_mesos_using_subcommand exec" -l agent -d 'Only tasks on this agent (id, id prefix, hostname or IP)' -r
complete -c mesos -n "__fish_mesos_using_subcommand exec" -l label -d 'Only tasks with this label: KEY=VALUE, or KEY for any value (repeatable; all must match)' -r
complete -c mesos -n "__fish_mesos_using_subcommand exec" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand exec" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand exec" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand exec" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand exec" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand exec" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand exec" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand exec" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand exec" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand exec" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand exec" -s i -l interactive -d 'Send stdin to the command'
complete -c mesos -n "__fish_mesos_using_subcommand exec" -s t -l tty -d 'Give the command a terminal (raw mode when stdin is a terminal)'
complete -c mesos -n "__fish_mesos_using_subcommand exec" -l regex -d 'Treat TASK as a regular expression, searched in task ids and names'
complete -c mesos -n "__fish_mesos_using_subcommand exec" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand exec" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand exec" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand exec" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand exec" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand exec" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand attach" -l detach-keys -d 'Keys that detach: ctrl-X or single characters, comma-separated ("" = none)' -r
complete -c mesos -n "__fish_mesos_using_subcommand attach" -l framework -d 'Only tasks of this framework (id, id prefix or name)' -r
complete -c mesos -n "__fish_mesos_using_subcommand attach" -l agent -d 'Only tasks on this agent (id, id prefix, hostname or IP)' -r
complete -c mesos -n "__fish_mesos_using_subcommand attach" -l label -d 'Only tasks with this label: KEY=VALUE, or KEY for any value (repeatable; all must match)' -r
complete -c mesos -n "__fish_mesos_using_subcommand attach" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand attach" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand attach" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand attach" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand attach" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand attach" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand attach" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand attach" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand attach" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand attach" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand attach" -s i -l interactive -d 'Send stdin to the task even when it is not a terminal'
complete -c mesos -n "__fish_mesos_using_subcommand attach" -l no-stdin -d 'Only show the task\'s output (stdin is not sent)'
complete -c mesos -n "__fish_mesos_using_subcommand attach" -l regex -d 'Treat TASK as a regular expression, searched in task ids and names'
complete -c mesos -n "__fish_mesos_using_subcommand attach" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand attach" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand attach" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand attach" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand attach" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand attach" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand kill" -l framework -d 'Only tasks of this framework (id, id prefix or name)' -r
complete -c mesos -n "__fish_mesos_using_subcommand kill" -l agent -d 'Only tasks on this agent (id, id prefix, hostname or IP)' -r
complete -c mesos -n "__fish_mesos_using_subcommand kill" -l state -d 'Only tasks in these states (running, failed, ...; repeat or comma-separate)' -r
complete -c mesos -n "__fish_mesos_using_subcommand kill" -l label -d 'Only tasks with this label: KEY=VALUE, or KEY for any value (repeatable; all must match)' -r
complete -c mesos -n "__fish_mesos_using_subcommand kill" -l wait -d 'How long to wait for each task to be confirmed dead' -r
complete -c mesos -n "__fish_mesos_using_subcommand kill" -l grace-period -d 'Grace period between SIGTERM and SIGKILL (KillPolicy of the KILL call)' -r
complete -c mesos -n "__fish_mesos_using_subcommand kill" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand kill" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand kill" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand kill" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand kill" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand kill" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand kill" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand kill" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand kill" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand kill" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand kill" -l regex -d 'Treat TASK as a regular expression, searched in task ids and names'
complete -c mesos -n "__fish_mesos_using_subcommand kill" -s i -l inactive -d 'Also completed tasks (finished, failed, killed, lost, ...)'
complete -c mesos -n "__fish_mesos_using_subcommand kill" -s a -l all -d 'Active and completed tasks (same as -i)'
complete -c mesos -n "__fish_mesos_using_subcommand kill" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand kill" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand kill" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand kill" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand kill" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand kill" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand teardown" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand teardown" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand teardown" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand teardown" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand teardown" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand teardown" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand teardown" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand teardown" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand teardown" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand teardown" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand teardown" -s y -l yes -d 'Do not ask for confirmation'
complete -c mesos -n "__fish_mesos_using_subcommand teardown" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand teardown" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand teardown" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand teardown" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand teardown" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand teardown" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand health" -l expect-agents -d 'Agents that should be active: fewer is CRITICAL' -r
complete -c mesos -n "__fish_mesos_using_subcommand health" -l expect-masters -d 'Masters that should answer [default: the --master list, or 2×quorum−1 for zk://]' -r
complete -c mesos -n "__fish_mesos_using_subcommand health" -l usage-warn -d 'Allocated cpus/mem/disk percent above which to warn' -r
complete -c mesos -n "__fish_mesos_using_subcommand health" -l usage-crit -d 'Allocated cpus/mem/disk percent above which it is critical' -r
complete -c mesos -n "__fish_mesos_using_subcommand health" -l stuck-after -d 'A task STAGING or STARTING this long is stuck (WARNING)' -r
complete -c mesos -n "__fish_mesos_using_subcommand health" -l stuck-crit -d '... and CRITICAL when stuck this long' -r
complete -c mesos -n "__fish_mesos_using_subcommand health" -l window -d 'Window for the failed and lost task counts' -r
complete -c mesos -n "__fish_mesos_using_subcommand health" -l failed-warn -d 'Tasks FAILED/ERROR in the window at which to warn' -r
complete -c mesos -n "__fish_mesos_using_subcommand health" -l failed-crit -d 'Tasks FAILED/ERROR in the window at which it is critical' -r
complete -c mesos -n "__fish_mesos_using_subcommand health" -l lost-warn -d 'Tasks LOST/UNREACHABLE/GONE/DROPPED in the window at which to warn' -r
complete -c mesos -n "__fish_mesos_using_subcommand health" -l lost-crit -d 'Tasks LOST/UNREACHABLE/GONE/DROPPED in the window at which it is critical' -r
complete -c mesos -n "__fish_mesos_using_subcommand health" -l min-leader-uptime -d 'A leader elected more recently than this is a warning (flapping)' -r
complete -c mesos -n "__fish_mesos_using_subcommand health" -l skew-warn -d 'Clock spread between masters and agents above which to warn' -r
complete -c mesos -n "__fish_mesos_using_subcommand health" -l skew-crit -d 'Clock spread above which it is critical' -r
complete -c mesos -n "__fish_mesos_using_subcommand health" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand health" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand health" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand health" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand health" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand health" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand health" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand health" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand health" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand health" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand health" -l nagios -d 'Print one Nagios status line with perfdata instead of a line per check (wins over --json)'
complete -c mesos -n "__fish_mesos_using_subcommand health" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand health" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand health" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand health" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand health" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand health" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand doctor" -l expect-agents -d 'Agents that should be active: fewer is CRITICAL' -r
complete -c mesos -n "__fish_mesos_using_subcommand doctor" -l expect-masters -d 'Masters that should answer [default: the --master list, or 2×quorum−1 for zk://]' -r
complete -c mesos -n "__fish_mesos_using_subcommand doctor" -l usage-warn -d 'Allocated cpus/mem/disk percent above which to warn' -r
complete -c mesos -n "__fish_mesos_using_subcommand doctor" -l usage-crit -d 'Allocated cpus/mem/disk percent above which it is critical' -r
complete -c mesos -n "__fish_mesos_using_subcommand doctor" -l stuck-after -d 'A task STAGING or STARTING this long is stuck (WARNING)' -r
complete -c mesos -n "__fish_mesos_using_subcommand doctor" -l stuck-crit -d '... and CRITICAL when stuck this long' -r
complete -c mesos -n "__fish_mesos_using_subcommand doctor" -l window -d 'Window for the failed and lost task counts' -r
complete -c mesos -n "__fish_mesos_using_subcommand doctor" -l failed-warn -d 'Tasks FAILED/ERROR in the window at which to warn' -r
complete -c mesos -n "__fish_mesos_using_subcommand doctor" -l failed-crit -d 'Tasks FAILED/ERROR in the window at which it is critical' -r
complete -c mesos -n "__fish_mesos_using_subcommand doctor" -l lost-warn -d 'Tasks LOST/UNREACHABLE/GONE/DROPPED in the window at which to warn' -r
complete -c mesos -n "__fish_mesos_using_subcommand doctor" -l lost-crit -d 'Tasks LOST/UNREACHABLE/GONE/DROPPED in the window at which it is critical' -r
complete -c mesos -n "__fish_mesos_using_subcommand doctor" -l min-leader-uptime -d 'A leader elected more recently than this is a warning (flapping)' -r
complete -c mesos -n "__fish_mesos_using_subcommand doctor" -l skew-warn -d 'Clock spread between masters and agents above which to warn' -r
complete -c mesos -n "__fish_mesos_using_subcommand doctor" -l skew-crit -d 'Clock spread above which it is critical' -r
complete -c mesos -n "__fish_mesos_using_subcommand doctor" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand doctor" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand doctor" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand doctor" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand doctor" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand doctor" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand doctor" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand doctor" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand doctor" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand doctor" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand doctor" -l nagios -d 'Print one Nagios status line with perfdata instead of a line per check (wins over --json)'
complete -c mesos -n "__fish_mesos_using_subcommand doctor" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand doctor" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand doctor" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand doctor" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand doctor" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand doctor" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and not __fish_seen_subcommand_from up down status wait list logs doctor init host help" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and not __fish_seen_subcommand_from up down status wait list logs doctor init host help" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and not __fish_seen_subcommand_from up down status wait list logs doctor init host help" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and not __fish_seen_subcommand_from up down status wait list logs doctor init host help" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and not __fish_seen_subcommand_from up down status wait list logs doctor init host help" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and not __fish_seen_subcommand_from up down status wait list logs doctor init host help" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and not __fish_seen_subcommand_from up down status wait list logs doctor init host help" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and not __fish_seen_subcommand_from up down status wait list logs doctor init host help" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and not __fish_seen_subcommand_from up down status wait list logs doctor init host help" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and not __fish_seen_subcommand_from up down status wait list logs doctor init host help" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and not __fish_seen_subcommand_from up down status wait list logs doctor init host help" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and not __fish_seen_subcommand_from up down status wait list logs doctor init host help" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and not __fish_seen_subcommand_from up down status wait list logs doctor init host help" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and not __fish_seen_subcommand_from up down status wait list logs doctor init host help" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and not __fish_seen_subcommand_from up down status wait list logs doctor init host help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and not __fish_seen_subcommand_from up down status wait list logs doctor init host help" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and not __fish_seen_subcommand_from up down status wait list logs doctor init host help" -f -a "up" -d 'Start a cluster and wait until it is ready'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and not __fish_seen_subcommand_from up down status wait list logs doctor init host help" -f -a "down" -d 'Stop every daemon of a cluster'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and not __fish_seen_subcommand_from up down status wait list logs doctor init host help" -f -a "status" -d 'Show each daemon of a cluster: alive, leader, registered agents'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and not __fish_seen_subcommand_from up down status wait list logs doctor init host help" -f -a "wait" -d 'Wait until a cluster is ready'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and not __fish_seen_subcommand_from up down status wait list logs doctor init host help" -f -a "list" -d 'List the clusters started with `up`'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and not __fish_seen_subcommand_from up down status wait list logs doctor init host help" -f -a "logs" -d 'Print (or follow) the logs of a cluster\'s daemons'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and not __fish_seen_subcommand_from up down status wait list logs doctor init host help" -f -a "doctor" -d 'Check the SSH hosts of a cluster file before `up`, and whether a cluster is secured'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and not __fish_seen_subcommand_from up down status wait list logs doctor init host help" -f -a "init" -d 'Write a commented example cluster file'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and not __fish_seen_subcommand_from up down status wait list logs doctor init host help" -f -a "host" -d 'Internal: run one request of `mesos cluster up -f` on an SSH host'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and not __fish_seen_subcommand_from up down status wait list logs doctor init host help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from up" -l name -d 'Cluster name (also the profile name) [default: the name in -f FILE; for `up` local; otherwise the active profile\'s cluster, else the only cluster, else local]' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from up" -s f -l file -d 'Cluster file describing SSH hosts (see `mesos cluster init`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from up" -l masters -d 'Number of masters (odd; more than one needs ZooKeeper)' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from up" -l agents -d 'Number of agents' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from up" -l zk -d 'Use this ZooKeeper (zk://HOST:PORT/PATH) instead of a managed one' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from up" -l agent-resources -d '--resources of every agent, e.g. \'cpus:2;mem:2048\' (missing ones are detected; each agent gets its own ports range unless given)' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from up" -l agent-attributes -d '--attributes of every agent, e.g. \'rack:r1;zone:a\'' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from up" -l master-flag -d 'Extra mesos-master flag (--name=value), repeatable' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from up" -l agent-flag -d 'Extra mesos-agent flag (--name=value), repeatable' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from up" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from up" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from up" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from up" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from up" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from up" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from up" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from up" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from up" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from up" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from up" -l accept-new-host-keys -d 'Record the keys of SSH hosts missing from ~/.ssh/known_hosts instead of refusing them'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from up" -l secure -d 'TLS and HTTP authentication on every daemon: generates a CA, host certificates and credentials (files 0600 under the cluster directory) and a profile that uses them'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from up" -l no-marathon -d 'Start no `mesos marathon` (by default one per master, or where the -f file\'s [marathon] says; recorded in the profile as `marathon`)'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from up" -s q -l quiet -d 'No progress on stderr'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from up" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from up" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from up" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from up" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from up" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from up" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from down" -l name -d 'Cluster name (also the profile name) [default: the name in -f FILE; for `up` local; otherwise the active profile\'s cluster, else the only cluster, else local]' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from down" -s f -l file -d 'Cluster file describing SSH hosts (see `mesos cluster init`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from down" -l grace -d 'Time between SIGTERM and SIGKILL' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from down" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from down" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from down" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from down" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from down" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from down" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from down" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from down" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from down" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from down" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from down" -l accept-new-host-keys -d 'Record the keys of SSH hosts missing from ~/.ssh/known_hosts instead of refusing them'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from down" -l purge -d 'Also delete work dirs, logs and the cluster\'s profile'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from down" -s q -l quiet -d 'No progress on stderr'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from down" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from down" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from down" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from down" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from down" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from down" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from status" -l name -d 'Cluster name (also the profile name) [default: the name in -f FILE; for `up` local; otherwise the active profile\'s cluster, else the only cluster, else local]' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from status" -s f -l file -d 'Cluster file describing SSH hosts (see `mesos cluster init`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from status" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from status" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from status" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from status" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from status" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from status" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from status" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from status" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from status" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from status" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from status" -l accept-new-host-keys -d 'Record the keys of SSH hosts missing from ~/.ssh/known_hosts instead of refusing them'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from status" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from status" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from status" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from status" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from status" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from wait" -l name -d 'Cluster name (also the profile name) [default: the name in -f FILE; for `up` local; otherwise the active profile\'s cluster, else the only cluster, else local]' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from wait" -s f -l file -d 'Cluster file describing SSH hosts (see `mesos cluster init`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from wait" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from wait" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from wait" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from wait" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from wait" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from wait" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from wait" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from wait" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from wait" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from wait" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from wait" -l accept-new-host-keys -d 'Record the keys of SSH hosts missing from ~/.ssh/known_hosts instead of refusing them'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from wait" -s q -l quiet -d 'No progress on stderr'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from wait" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from wait" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from wait" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from wait" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from wait" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from wait" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from list" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from list" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from list" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from list" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from list" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from list" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from list" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from list" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from list" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from list" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from list" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from list" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from list" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from logs" -l name -d 'Cluster name [default: the active profile\'s cluster, else the only cluster, else local]' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from logs" -s n -l lines -d 'Only the last N lines' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from logs" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from logs" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from logs" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from logs" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from logs" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from logs" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from logs" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from logs" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from logs" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from logs" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from logs" -s F -l follow -d 'Keep printing new lines (-F: in `mesos cluster`, -f always means --file)'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from logs" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from logs" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from logs" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from logs" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from logs" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from logs" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from doctor" -l name -d 'Cluster name (also the profile name) [default: the name in -f FILE; for `up` local; otherwise the active profile\'s cluster, else the only cluster, else local]' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from doctor" -s f -l file -d 'Cluster file describing SSH hosts (see `mesos cluster init`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from doctor" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from doctor" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from doctor" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from doctor" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from doctor" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from doctor" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from doctor" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from doctor" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from doctor" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from doctor" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from doctor" -l accept-new-host-keys -d 'Record the keys of SSH hosts missing from ~/.ssh/known_hosts instead of refusing them'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from doctor" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from doctor" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from doctor" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from doctor" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from doctor" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from doctor" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from init" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from init" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from init" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from init" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from init" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from init" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from init" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from init" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from init" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from init" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from init" -l force -d 'Overwrite an existing file'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from init" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from init" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from init" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from init" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from init" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from init" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from host" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from host" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from host" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from host" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from host" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from host" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from host" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from host" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from host" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from host" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from host" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from host" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from host" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from host" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from host" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from host" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from help" -f -a "up" -d 'Start a cluster and wait until it is ready'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from help" -f -a "down" -d 'Stop every daemon of a cluster'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from help" -f -a "status" -d 'Show each daemon of a cluster: alive, leader, registered agents'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from help" -f -a "wait" -d 'Wait until a cluster is ready'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the clusters started with `up`'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from help" -f -a "logs" -d 'Print (or follow) the logs of a cluster\'s daemons'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from help" -f -a "doctor" -d 'Check the SSH hosts of a cluster file before `up`, and whether a cluster is secured'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from help" -f -a "init" -d 'Write a commented example cluster file'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from help" -f -a "host" -d 'Internal: run one request of `mesos cluster up -f` on an SSH host'
complete -c mesos -n "__fish_mesos_using_subcommand cluster; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mesos -n "__fish_mesos_using_subcommand app; and not __fish_seen_subcommand_from list show add update scale restart kill remove rm versions tasks help" -l marathon -d 'Marathon base URL (http://host:8080, https://dcos.example.com/service/marathon) [default: the profile\'s `marathon`, else found through the master]' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and not __fish_seen_subcommand_from list show add update scale restart kill remove rm versions tasks help" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and not __fish_seen_subcommand_from list show add update scale restart kill remove rm versions tasks help" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and not __fish_seen_subcommand_from list show add update scale restart kill remove rm versions tasks help" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand app; and not __fish_seen_subcommand_from list show add update scale restart kill remove rm versions tasks help" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and not __fish_seen_subcommand_from list show add update scale restart kill remove rm versions tasks help" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and not __fish_seen_subcommand_from list show add update scale restart kill remove rm versions tasks help" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and not __fish_seen_subcommand_from list show add update scale restart kill remove rm versions tasks help" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand app; and not __fish_seen_subcommand_from list show add update scale restart kill remove rm versions tasks help" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and not __fish_seen_subcommand_from list show add update scale restart kill remove rm versions tasks help" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand app; and not __fish_seen_subcommand_from list show add update scale restart kill remove rm versions tasks help" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand app; and not __fish_seen_subcommand_from list show add update scale restart kill remove rm versions tasks help" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand app; and not __fish_seen_subcommand_from list show add update scale restart kill remove rm versions tasks help" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand app; and not __fish_seen_subcommand_from list show add update scale restart kill remove rm versions tasks help" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand app; and not __fish_seen_subcommand_from list show add update scale restart kill remove rm versions tasks help" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand app; and not __fish_seen_subcommand_from list show add update scale restart kill remove rm versions tasks help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand app; and not __fish_seen_subcommand_from list show add update scale restart kill remove rm versions tasks help" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand app; and not __fish_seen_subcommand_from list show add update scale restart kill remove rm versions tasks help" -f -a "list" -d 'List apps: ID, INSTANCES (running/wanted), HEALTHY, CPUS, MEM, DISK, DEPLOYMENT, CMD'
complete -c mesos -n "__fish_mesos_using_subcommand app; and not __fish_seen_subcommand_from list show add update scale restart kill remove rm versions tasks help" -f -a "show" -d 'Show one app (with --json: Marathon\'s app object)'
complete -c mesos -n "__fish_mesos_using_subcommand app; and not __fish_seen_subcommand_from list show add update scale restart kill remove rm versions tasks help" -f -a "add" -d 'Create an app from a JSON app definition (FILE, or - for stdin)'
complete -c mesos -n "__fish_mesos_using_subcommand app; and not __fish_seen_subcommand_from list show add update scale restart kill remove rm versions tasks help" -f -a "update" -d 'Change an app: the keys in FILE (or - for stdin) replace the app\'s'
complete -c mesos -n "__fish_mesos_using_subcommand app; and not __fish_seen_subcommand_from list show add update scale restart kill remove rm versions tasks help" -f -a "scale" -d 'Set the number of instances'
complete -c mesos -n "__fish_mesos_using_subcommand app; and not __fish_seen_subcommand_from list show add update scale restart kill remove rm versions tasks help" -f -a "restart" -d 'Replace every task of the app (a rolling restart by its upgradeStrategy)'
complete -c mesos -n "__fish_mesos_using_subcommand app; and not __fish_seen_subcommand_from list show add update scale restart kill remove rm versions tasks help" -f -a "kill" -d 'Kill one task of the app (all its tasks without TASK); Marathon starts replacements unless --scale'
complete -c mesos -n "__fish_mesos_using_subcommand app; and not __fish_seen_subcommand_from list show add update scale restart kill remove rm versions tasks help" -f -a "remove" -d 'Remove the app and kill its tasks'
complete -c mesos -n "__fish_mesos_using_subcommand app; and not __fish_seen_subcommand_from list show add update scale restart kill remove rm versions tasks help" -f -a "rm" -d 'Remove the app and kill its tasks'
complete -c mesos -n "__fish_mesos_using_subcommand app; and not __fish_seen_subcommand_from list show add update scale restart kill remove rm versions tasks help" -f -a "versions" -d 'List the stored versions of the app (with VERSION: that version\'s definition as JSON)'
complete -c mesos -n "__fish_mesos_using_subcommand app; and not __fish_seen_subcommand_from list show add update scale restart kill remove rm versions tasks help" -f -a "tasks" -d 'List the app\'s tasks: ID, HOST, STATE, PORTS, HEALTHY, STARTED, VERSION'
complete -c mesos -n "__fish_mesos_using_subcommand app; and not __fish_seen_subcommand_from list show add update scale restart kill remove rm versions tasks help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from list" -l marathon -d 'Marathon base URL (http://host:8080, https://dcos.example.com/service/marathon) [default: the profile\'s `marathon`, else found through the master]' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from list" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from list" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from list" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from list" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from list" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from list" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from list" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from list" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from list" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from list" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from list" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from list" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from list" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from show" -l marathon -d 'Marathon base URL (http://host:8080, https://dcos.example.com/service/marathon) [default: the profile\'s `marathon`, else found through the master]' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from show" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from show" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from show" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from show" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from show" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from show" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from show" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from show" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from show" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from show" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from show" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from show" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from show" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from add" -l marathon -d 'Marathon base URL (http://host:8080, https://dcos.example.com/service/marathon) [default: the profile\'s `marathon`, else found through the master]' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from add" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from add" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from add" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from add" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from add" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from add" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from add" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from add" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from add" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from add" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from add" -l force -d 'Override a deployment already changing the app (cancels it, without rollback)'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from add" -l no-wait -d 'Print the deployment id and return without waiting for it to finish'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from add" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from add" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from add" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from add" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from add" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from update" -l marathon -d 'Marathon base URL (http://host:8080, https://dcos.example.com/service/marathon) [default: the profile\'s `marathon`, else found through the master]' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from update" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from update" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from update" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from update" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from update" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from update" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from update" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from update" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from update" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from update" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from update" -l force -d 'Override a deployment already changing the app (cancels it, without rollback)'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from update" -l no-wait -d 'Print the deployment id and return without waiting for it to finish'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from update" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from update" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from update" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from update" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from update" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from update" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from scale" -l marathon -d 'Marathon base URL (http://host:8080, https://dcos.example.com/service/marathon) [default: the profile\'s `marathon`, else found through the master]' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from scale" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from scale" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from scale" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from scale" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from scale" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from scale" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from scale" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from scale" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from scale" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from scale" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from scale" -l force -d 'Override a deployment already changing the app (cancels it, without rollback)'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from scale" -l no-wait -d 'Print the deployment id and return without waiting for it to finish'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from scale" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from scale" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from scale" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from scale" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from scale" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from scale" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from restart" -l marathon -d 'Marathon base URL (http://host:8080, https://dcos.example.com/service/marathon) [default: the profile\'s `marathon`, else found through the master]' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from restart" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from restart" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from restart" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from restart" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from restart" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from restart" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from restart" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from restart" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from restart" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from restart" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from restart" -l force -d 'Override a deployment already changing the app (cancels it, without rollback)'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from restart" -l no-wait -d 'Print the deployment id and return without waiting for it to finish'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from restart" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from restart" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from restart" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from restart" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from restart" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from restart" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from kill" -l marathon -d 'Marathon base URL (http://host:8080, https://dcos.example.com/service/marathon) [default: the profile\'s `marathon`, else found through the master]' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from kill" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from kill" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from kill" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from kill" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from kill" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from kill" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from kill" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from kill" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from kill" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from kill" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from kill" -l scale -d 'Lower the app\'s instances by the tasks killed instead of replacing them'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from kill" -l force -d 'Override a deployment already changing the app (cancels it, without rollback)'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from kill" -l no-wait -d 'Print the deployment id and return without waiting for it to finish'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from kill" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from kill" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from kill" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from kill" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from kill" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from kill" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from remove" -l marathon -d 'Marathon base URL (http://host:8080, https://dcos.example.com/service/marathon) [default: the profile\'s `marathon`, else found through the master]' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from remove" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from remove" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from remove" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from remove" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from remove" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from remove" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from remove" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from remove" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from remove" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from remove" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from remove" -l force -d 'Override a deployment already changing the app (cancels it, without rollback)'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from remove" -l no-wait -d 'Print the deployment id and return without waiting for it to finish'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from remove" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from remove" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from remove" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from remove" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from remove" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from rm" -l marathon -d 'Marathon base URL (http://host:8080, https://dcos.example.com/service/marathon) [default: the profile\'s `marathon`, else found through the master]' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from rm" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from rm" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from rm" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from rm" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from rm" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from rm" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from rm" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from rm" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from rm" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from rm" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from rm" -l force -d 'Override a deployment already changing the app (cancels it, without rollback)'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from rm" -l no-wait -d 'Print the deployment id and return without waiting for it to finish'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from rm" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from rm" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from rm" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from rm" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from rm" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from versions" -l marathon -d 'Marathon base URL (http://host:8080, https://dcos.example.com/service/marathon) [default: the profile\'s `marathon`, else found through the master]' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from versions" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from versions" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from versions" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from versions" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from versions" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from versions" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from versions" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from versions" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from versions" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from versions" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from versions" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from versions" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from versions" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from versions" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from versions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from versions" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from tasks" -l marathon -d 'Marathon base URL (http://host:8080, https://dcos.example.com/service/marathon) [default: the profile\'s `marathon`, else found through the master]' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from tasks" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from tasks" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from tasks" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from tasks" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from tasks" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from tasks" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from tasks" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from tasks" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from tasks" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from tasks" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from tasks" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from tasks" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from tasks" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from tasks" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from tasks" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from tasks" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from help" -f -a "list" -d 'List apps: ID, INSTANCES (running/wanted), HEALTHY, CPUS, MEM, DISK, DEPLOYMENT, CMD'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one app (with --json: Marathon\'s app object)'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from help" -f -a "add" -d 'Create an app from a JSON app definition (FILE, or - for stdin)'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from help" -f -a "update" -d 'Change an app: the keys in FILE (or - for stdin) replace the app\'s'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from help" -f -a "scale" -d 'Set the number of instances'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from help" -f -a "restart" -d 'Replace every task of the app (a rolling restart by its upgradeStrategy)'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from help" -f -a "kill" -d 'Kill one task of the app (all its tasks without TASK); Marathon starts replacements unless --scale'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Remove the app and kill its tasks'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from help" -f -a "versions" -d 'List the stored versions of the app (with VERSION: that version\'s definition as JSON)'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from help" -f -a "tasks" -d 'List the app\'s tasks: ID, HOST, STATE, PORTS, HEALTHY, STARTED, VERSION'
complete -c mesos -n "__fish_mesos_using_subcommand app; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and not __fish_seen_subcommand_from list ls rollback help" -l marathon -d 'Marathon base URL (http://host:8080, https://dcos.example.com/service/marathon) [default: the profile\'s `marathon`, else found through the master]' -r
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and not __fish_seen_subcommand_from list ls rollback help" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and not __fish_seen_subcommand_from list ls rollback help" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and not __fish_seen_subcommand_from list ls rollback help" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and not __fish_seen_subcommand_from list ls rollback help" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and not __fish_seen_subcommand_from list ls rollback help" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and not __fish_seen_subcommand_from list ls rollback help" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and not __fish_seen_subcommand_from list ls rollback help" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and not __fish_seen_subcommand_from list ls rollback help" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and not __fish_seen_subcommand_from list ls rollback help" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and not __fish_seen_subcommand_from list ls rollback help" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and not __fish_seen_subcommand_from list ls rollback help" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and not __fish_seen_subcommand_from list ls rollback help" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and not __fish_seen_subcommand_from list ls rollback help" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and not __fish_seen_subcommand_from list ls rollback help" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and not __fish_seen_subcommand_from list ls rollback help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and not __fish_seen_subcommand_from list ls rollback help" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and not __fish_seen_subcommand_from list ls rollback help" -f -a "list" -d 'List running deployments: ID, APPS, STEP, ACTIONS, VERSION'
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and not __fish_seen_subcommand_from list ls rollback help" -f -a "ls" -d 'List running deployments: ID, APPS, STEP, ACTIONS, VERSION'
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and not __fish_seen_subcommand_from list ls rollback help" -f -a "rollback" -d 'Revert a deployment\'s changes (a new deployment); with --force only cancel it'
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and not __fish_seen_subcommand_from list ls rollback help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and __fish_seen_subcommand_from list" -l marathon -d 'Marathon base URL (http://host:8080, https://dcos.example.com/service/marathon) [default: the profile\'s `marathon`, else found through the master]' -r
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and __fish_seen_subcommand_from list" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and __fish_seen_subcommand_from list" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and __fish_seen_subcommand_from list" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and __fish_seen_subcommand_from list" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and __fish_seen_subcommand_from list" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and __fish_seen_subcommand_from list" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and __fish_seen_subcommand_from list" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and __fish_seen_subcommand_from list" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and __fish_seen_subcommand_from list" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and __fish_seen_subcommand_from list" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and __fish_seen_subcommand_from list" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and __fish_seen_subcommand_from list" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and __fish_seen_subcommand_from list" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and __fish_seen_subcommand_from ls" -l marathon -d 'Marathon base URL (http://host:8080, https://dcos.example.com/service/marathon) [default: the profile\'s `marathon`, else found through the master]' -r
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and __fish_seen_subcommand_from ls" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and __fish_seen_subcommand_from ls" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and __fish_seen_subcommand_from ls" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and __fish_seen_subcommand_from ls" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and __fish_seen_subcommand_from ls" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and __fish_seen_subcommand_from ls" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and __fish_seen_subcommand_from ls" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and __fish_seen_subcommand_from ls" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and __fish_seen_subcommand_from ls" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and __fish_seen_subcommand_from ls" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and __fish_seen_subcommand_from ls" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and __fish_seen_subcommand_from ls" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and __fish_seen_subcommand_from ls" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and __fish_seen_subcommand_from ls" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and __fish_seen_subcommand_from ls" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and __fish_seen_subcommand_from rollback" -l marathon -d 'Marathon base URL (http://host:8080, https://dcos.example.com/service/marathon) [default: the profile\'s `marathon`, else found through the master]' -r
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and __fish_seen_subcommand_from rollback" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and __fish_seen_subcommand_from rollback" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and __fish_seen_subcommand_from rollback" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and __fish_seen_subcommand_from rollback" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and __fish_seen_subcommand_from rollback" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and __fish_seen_subcommand_from rollback" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and __fish_seen_subcommand_from rollback" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and __fish_seen_subcommand_from rollback" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and __fish_seen_subcommand_from rollback" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and __fish_seen_subcommand_from rollback" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and __fish_seen_subcommand_from rollback" -l force -d 'Override a deployment already changing the app (cancels it, without rollback)'
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and __fish_seen_subcommand_from rollback" -l no-wait -d 'Print the deployment id and return without waiting for it to finish'
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and __fish_seen_subcommand_from rollback" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and __fish_seen_subcommand_from rollback" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and __fish_seen_subcommand_from rollback" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and __fish_seen_subcommand_from rollback" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and __fish_seen_subcommand_from rollback" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and __fish_seen_subcommand_from rollback" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and __fish_seen_subcommand_from help" -f -a "list" -d 'List running deployments: ID, APPS, STEP, ACTIONS, VERSION'
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and __fish_seen_subcommand_from help" -f -a "rollback" -d 'Revert a deployment\'s changes (a new deployment); with --force only cancel it'
complete -c mesos -n "__fish_mesos_using_subcommand deployment; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mesos -n "__fish_mesos_using_subcommand package; and not __fish_seen_subcommand_from search describe install list uninstall repo help" -l cosmos -d 'Cosmos package API base URL (DC/OS cluster URL, or `mesos marathon`\'s) [default: the profile\'s `cosmos`, else DC/OS /capabilities, else local]' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and not __fish_seen_subcommand_from search describe install list uninstall repo help" -l marathon -d 'Marathon base URL for the local package manager [default: as for `mesos app`]' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and not __fish_seen_subcommand_from search describe install list uninstall repo help" -l repo -d 'Use only this repository (a configured name, a URI, a directory, or `builtin`)' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and not __fish_seen_subcommand_from search describe install list uninstall repo help" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and not __fish_seen_subcommand_from search describe install list uninstall repo help" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and not __fish_seen_subcommand_from search describe install list uninstall repo help" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand package; and not __fish_seen_subcommand_from search describe install list uninstall repo help" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and not __fish_seen_subcommand_from search describe install list uninstall repo help" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and not __fish_seen_subcommand_from search describe install list uninstall repo help" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and not __fish_seen_subcommand_from search describe install list uninstall repo help" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand package; and not __fish_seen_subcommand_from search describe install list uninstall repo help" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and not __fish_seen_subcommand_from search describe install list uninstall repo help" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand package; and not __fish_seen_subcommand_from search describe install list uninstall repo help" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand package; and not __fish_seen_subcommand_from search describe install list uninstall repo help" -l refresh -d 'Revalidate cached repositories before use'
complete -c mesos -n "__fish_mesos_using_subcommand package; and not __fish_seen_subcommand_from search describe install list uninstall repo help" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand package; and not __fish_seen_subcommand_from search describe install list uninstall repo help" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand package; and not __fish_seen_subcommand_from search describe install list uninstall repo help" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand package; and not __fish_seen_subcommand_from search describe install list uninstall repo help" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand package; and not __fish_seen_subcommand_from search describe install list uninstall repo help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand package; and not __fish_seen_subcommand_from search describe install list uninstall repo help" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand package; and not __fish_seen_subcommand_from search describe install list uninstall repo help" -f -a "search" -d 'Search packages by name, tag or description: NAME, VERSION, SELECTED, FRAMEWORK, DESCRIPTION'
complete -c mesos -n "__fish_mesos_using_subcommand package; and not __fish_seen_subcommand_from search describe install list uninstall repo help" -f -a "describe" -d 'Show a package (with --json: the package as in the repository)'
complete -c mesos -n "__fish_mesos_using_subcommand package; and not __fish_seen_subcommand_from search describe install list uninstall repo help" -f -a "install" -d 'Install a package as a Marathon app and wait until it is healthy'
complete -c mesos -n "__fish_mesos_using_subcommand package; and not __fish_seen_subcommand_from search describe install list uninstall repo help" -f -a "list" -d 'List installed packages (Marathon apps with package labels): NAME, VERSION, APP, STATUS'
complete -c mesos -n "__fish_mesos_using_subcommand package; and not __fish_seen_subcommand_from search describe install list uninstall repo help" -f -a "uninstall" -d 'Remove an installed package\'s app (and tear down the framework it registered)'
complete -c mesos -n "__fish_mesos_using_subcommand package; and not __fish_seen_subcommand_from search describe install list uninstall repo help" -f -a "repo" -d 'Manage the package repositories (stored in the profile)'
complete -c mesos -n "__fish_mesos_using_subcommand package; and not __fish_seen_subcommand_from search describe install list uninstall repo help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from search" -l cosmos -d 'Cosmos package API base URL (DC/OS cluster URL, or `mesos marathon`\'s) [default: the profile\'s `cosmos`, else DC/OS /capabilities, else local]' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from search" -l marathon -d 'Marathon base URL for the local package manager [default: as for `mesos app`]' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from search" -l repo -d 'Use only this repository (a configured name, a URI, a directory, or `builtin`)' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from search" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from search" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from search" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from search" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from search" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from search" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from search" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from search" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from search" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from search" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from search" -l refresh -d 'Revalidate cached repositories before use'
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from search" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from search" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from search" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from search" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from search" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from search" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from describe" -l package-version -d 'A version (as listed by --package-versions) [default: the latest]' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from describe" -l options -d 'Options file for --render (JSON object), - for stdin' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from describe" -l app-id -d 'App id for --render [default: the package\'s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from describe" -l cosmos -d 'Cosmos package API base URL (DC/OS cluster URL, or `mesos marathon`\'s) [default: the profile\'s `cosmos`, else DC/OS /capabilities, else local]' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from describe" -l marathon -d 'Marathon base URL for the local package manager [default: as for `mesos app`]' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from describe" -l repo -d 'Use only this repository (a configured name, a URI, a directory, or `builtin`)' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from describe" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from describe" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from describe" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from describe" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from describe" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from describe" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from describe" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from describe" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from describe" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from describe" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from describe" -l config -d 'Print the package\'s config schema (JSON Schema)'
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from describe" -l render -d 'Print the Marathon app the package renders to (with --options)'
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from describe" -l package-versions -d 'List the package\'s versions, newest first'
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from describe" -l refresh -d 'Revalidate cached repositories before use'
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from describe" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from describe" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from describe" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from describe" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from describe" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from describe" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from install" -l package-version -d 'A version [default: the latest]' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from install" -l options -d 'Options (JSON object, merged over the schema\'s defaults), - for stdin' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from install" -l app-id -d 'App id [default: the package\'s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from install" -l cosmos -d 'Cosmos package API base URL (DC/OS cluster URL, or `mesos marathon`\'s) [default: the profile\'s `cosmos`, else DC/OS /capabilities, else local]' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from install" -l marathon -d 'Marathon base URL for the local package manager [default: as for `mesos app`]' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from install" -l repo -d 'Use only this repository (a configured name, a URI, a directory, or `builtin`)' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from install" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from install" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from install" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from install" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from install" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from install" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from install" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from install" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from install" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from install" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from install" -s y -l yes -d 'Answer yes: install without asking (needed when not on a terminal)'
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from install" -l no-wait -d 'Return once Marathon accepted the app, without waiting for it to be healthy'
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from install" -l refresh -d 'Revalidate cached repositories before use'
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from install" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from install" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from install" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from install" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from install" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from install" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from list" -l app-id -d 'Only this app id' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from list" -l cosmos -d 'Cosmos package API base URL (DC/OS cluster URL, or `mesos marathon`\'s) [default: the profile\'s `cosmos`, else DC/OS /capabilities, else local]' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from list" -l marathon -d 'Marathon base URL for the local package manager [default: as for `mesos app`]' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from list" -l repo -d 'Use only this repository (a configured name, a URI, a directory, or `builtin`)' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from list" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from list" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from list" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from list" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from list" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from list" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from list" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from list" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from list" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from list" -l refresh -d 'Revalidate cached repositories before use'
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from list" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from list" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from list" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from list" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from uninstall" -l app-id -d 'The app to remove when several are installed' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from uninstall" -l cosmos -d 'Cosmos package API base URL (DC/OS cluster URL, or `mesos marathon`\'s) [default: the profile\'s `cosmos`, else DC/OS /capabilities, else local]' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from uninstall" -l marathon -d 'Marathon base URL for the local package manager [default: as for `mesos app`]' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from uninstall" -l repo -d 'Use only this repository (a configured name, a URI, a directory, or `builtin`)' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from uninstall" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from uninstall" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from uninstall" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from uninstall" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from uninstall" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from uninstall" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from uninstall" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from uninstall" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from uninstall" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from uninstall" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from uninstall" -l all -d 'Remove every app of the package'
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from uninstall" -s y -l yes -d 'Answer yes: uninstall without asking (needed when not on a terminal)'
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from uninstall" -l refresh -d 'Revalidate cached repositories before use'
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from uninstall" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from uninstall" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from uninstall" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from uninstall" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from uninstall" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from uninstall" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from repo" -l cosmos -d 'Cosmos package API base URL (DC/OS cluster URL, or `mesos marathon`\'s) [default: the profile\'s `cosmos`, else DC/OS /capabilities, else local]' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from repo" -l marathon -d 'Marathon base URL for the local package manager [default: as for `mesos app`]' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from repo" -l repo -d 'Use only this repository (a configured name, a URI, a directory, or `builtin`)' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from repo" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from repo" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from repo" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from repo" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from repo" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from repo" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from repo" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from repo" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from repo" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from repo" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from repo" -l refresh -d 'Revalidate cached repositories before use'
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from repo" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from repo" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from repo" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from repo" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from repo" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from repo" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from repo" -f -a "add" -d 'Add a repository (http(s)/file:// URI of a Universe repository JSON, or a source directory)'
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from repo" -f -a "list" -d 'List the repositories in priority order: NAME, URI'
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from repo" -f -a "remove" -d 'Remove a repository by name'
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from repo" -f -a "rm" -d 'Remove a repository by name'
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from repo" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from help" -f -a "search" -d 'Search packages by name, tag or description: NAME, VERSION, SELECTED, FRAMEWORK, DESCRIPTION'
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from help" -f -a "describe" -d 'Show a package (with --json: the package as in the repository)'
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from help" -f -a "install" -d 'Install a package as a Marathon app and wait until it is healthy'
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from help" -f -a "list" -d 'List installed packages (Marathon apps with package labels): NAME, VERSION, APP, STATUS'
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from help" -f -a "uninstall" -d 'Remove an installed package\'s app (and tear down the framework it registered)'
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from help" -f -a "repo" -d 'Manage the package repositories (stored in the profile)'
complete -c mesos -n "__fish_mesos_using_subcommand package; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mesos -n "__fish_mesos_using_subcommand serve; and not __fish_seen_subcommand_from hello static kv cron help" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand serve; and not __fish_seen_subcommand_from hello static kv cron help" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand serve; and not __fish_seen_subcommand_from hello static kv cron help" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand serve; and not __fish_seen_subcommand_from hello static kv cron help" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand serve; and not __fish_seen_subcommand_from hello static kv cron help" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand serve; and not __fish_seen_subcommand_from hello static kv cron help" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand serve; and not __fish_seen_subcommand_from hello static kv cron help" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand serve; and not __fish_seen_subcommand_from hello static kv cron help" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand serve; and not __fish_seen_subcommand_from hello static kv cron help" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand serve; and not __fish_seen_subcommand_from hello static kv cron help" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand serve; and not __fish_seen_subcommand_from hello static kv cron help" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand serve; and not __fish_seen_subcommand_from hello static kv cron help" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand serve; and not __fish_seen_subcommand_from hello static kv cron help" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand serve; and not __fish_seen_subcommand_from hello static kv cron help" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand serve; and not __fish_seen_subcommand_from hello static kv cron help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand serve; and not __fish_seen_subcommand_from hello static kv cron help" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand serve; and not __fish_seen_subcommand_from hello static kv cron help" -f -a "hello" -d 'HTTP hello service: GET / greets, /echo echoes the request as JSON'
complete -c mesos -n "__fish_mesos_using_subcommand serve; and not __fish_seen_subcommand_from hello static kv cron help" -f -a "static" -d 'Serve a directory over HTTP (files, listings; never outside it)'
complete -c mesos -n "__fish_mesos_using_subcommand serve; and not __fish_seen_subcommand_from hello static kv cron help" -f -a "kv" -d 'Key-value store over HTTP (PUT/GET/DELETE /v1/kv/KEY), persisted to a file'
complete -c mesos -n "__fish_mesos_using_subcommand serve; and not __fish_seen_subcommand_from hello static kv cron help" -f -a "cron" -d 'Run a shell command on a schedule; GET /runs shows the last runs'
complete -c mesos -n "__fish_mesos_using_subcommand serve; and not __fish_seen_subcommand_from hello static kv cron help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from hello" -l port -d 'Port to listen on (default: $PORT0, as Marathon sets it)' -r
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from hello" -l host -d 'Address to listen on' -r
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from hello" -l message -d 'The greeting GET / answers' -r
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from hello" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from hello" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from hello" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from hello" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from hello" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from hello" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from hello" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from hello" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from hello" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from hello" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from hello" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from hello" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from hello" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from hello" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from hello" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from hello" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from static" -l port -d 'Port to listen on (default: $PORT0, as Marathon sets it)' -r
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from static" -l host -d 'Address to listen on' -r
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from static" -l dir -d 'Directory to serve (created if missing; default: the current directory, a task\'s sandbox)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from static" -l index-text -d 'Write an index.html with this text (default: only into an empty directory)' -r
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from static" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from static" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from static" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from static" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from static" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from static" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from static" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from static" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from static" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from static" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from static" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from static" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from static" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from static" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from static" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from static" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from kv" -l port -d 'Port to listen on (default: $PORT0, as Marathon sets it)' -r
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from kv" -l host -d 'Address to listen on' -r
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from kv" -l data -d 'File the store is kept in (JSON; relative to the current directory)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from kv" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from kv" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from kv" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from kv" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from kv" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from kv" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from kv" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from kv" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from kv" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from kv" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from kv" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from kv" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from kv" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from kv" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from kv" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from kv" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from cron" -l port -d 'Port to listen on (default: $PORT0, as Marathon sets it)' -r
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from cron" -l host -d 'Address to listen on' -r
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from cron" -s c -l command -d 'Shell command to run (with sh -c)' -r
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from cron" -l every -d 'Run every DURATION (e.g. 30s, 5m), the first run one interval after start' -r
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from cron" -l schedule -d 'Run at the minutes of a 5-field cron expression (UTC), e.g. "*/5 * * * *"' -r
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from cron" -l keep -d 'How many runs GET /runs keeps' -r
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from cron" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from cron" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from cron" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from cron" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from cron" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from cron" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from cron" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from cron" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from cron" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from cron" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from cron" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from cron" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from cron" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from cron" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from cron" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from cron" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from help" -f -a "hello" -d 'HTTP hello service: GET / greets, /echo echoes the request as JSON'
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from help" -f -a "static" -d 'Serve a directory over HTTP (files, listings; never outside it)'
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from help" -f -a "kv" -d 'Key-value store over HTTP (PUT/GET/DELETE /v1/kv/KEY), persisted to a file'
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from help" -f -a "cron" -d 'Run a shell command on a schedule; GET /runs shows the last runs'
complete -c mesos -n "__fish_mesos_using_subcommand serve; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mesos -n "__fish_mesos_using_subcommand master" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand master" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand master" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand master" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand master" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand master" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand master" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand master" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand master" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand master" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand master" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand master" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand master" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand master" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand master" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand master" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand agent" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand agent" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand agent" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand agent" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand agent" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand agent" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand agent" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand agent" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand agent" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand agent" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand agent" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand agent" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand agent" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand agent" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand agent" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand agent" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand marathon" -l master -d 'Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path' -r
complete -c mesos -n "__fish_mesos_using_subcommand marathon" -l profile -d 'Config profile to use instead of the active one' -r
complete -c mesos -n "__fish_mesos_using_subcommand marathon" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (plain columns when stdout is not a terminal)'
json\t'One JSON document'
ndjson\t'One JSON object per line'"
complete -c mesos -n "__fish_mesos_using_subcommand marathon" -l timeout -d 'Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]' -r
complete -c mesos -n "__fish_mesos_using_subcommand marathon" -l principal -d 'HTTP basic-auth principal' -r
complete -c mesos -n "__fish_mesos_using_subcommand marathon" -l secret -d 'Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)' -r
complete -c mesos -n "__fish_mesos_using_subcommand marathon" -l secret-file -d 'File holding the secret for --principal' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand marathon" -l token -d 'DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`' -r
complete -c mesos -n "__fish_mesos_using_subcommand marathon" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand marathon" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand marathon" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand marathon" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand marathon" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand marathon" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand marathon" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand marathon" -s V -l version -d 'Print version'
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
complete -c mesos -n "__fish_mesos_using_subcommand generate-docs" -l ca-file -d 'PEM file with CA certificates to trust for https masters and agents; also makes https the scheme for masters given without one and for leaders found in ZooKeeper (unless the profile sets `scheme`)' -r -F
complete -c mesos -n "__fish_mesos_using_subcommand generate-docs" -l wire -d 'Message encoding of the v1 API calls the CLI makes (the scheduler API of `mesos execute` and `mesos kill`, the operator API of `mesos events` and `mesos teardown`): json or protobuf [default: json]' -r -f -a "json\t''
protobuf\t''"
complete -c mesos -n "__fish_mesos_using_subcommand generate-docs" -l json -d 'Short for --output json'
complete -c mesos -n "__fish_mesos_using_subcommand generate-docs" -l ndjson -d 'Short for --output ndjson (one JSON object per line)'
complete -c mesos -n "__fish_mesos_using_subcommand generate-docs" -l insecure -d 'Do not verify TLS certificates'
complete -c mesos -n "__fish_mesos_using_subcommand generate-docs" -s v -l verbose -d 'More detail on stderr (can be repeated)'
complete -c mesos -n "__fish_mesos_using_subcommand generate-docs" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mesos -n "__fish_mesos_using_subcommand generate-docs" -s V -l version -d 'Print version'
complete -c mesos -n "__fish_mesos_using_subcommand help; and not __fish_seen_subcommand_from resolve state config completions ps frameworks agents top node task metrics cat head tail ls find download ssh scp events execute exec attach kill teardown health cluster app deployment package serve master agent marathon generate-docs help" -f -a "resolve" -d 'Print the leading master as host:port'
complete -c mesos -n "__fish_mesos_using_subcommand help; and not __fish_seen_subcommand_from resolve state config completions ps frameworks agents top node task metrics cat head tail ls find download ssh scp events execute exec attach kill teardown health cluster app deployment package serve master agent marathon generate-docs help" -f -a "state" -d 'Print the state of the leading master or of one agent as JSON'
complete -c mesos -n "__fish_mesos_using_subcommand help; and not __fish_seen_subcommand_from resolve state config completions ps frameworks agents top node task metrics cat head tail ls find download ssh scp events execute exec attach kill teardown health cluster app deployment package serve master agent marathon generate-docs help" -f -a "config" -d 'Show and edit settings and profiles'
complete -c mesos -n "__fish_mesos_using_subcommand help; and not __fish_seen_subcommand_from resolve state config completions ps frameworks agents top node task metrics cat head tail ls find download ssh scp events execute exec attach kill teardown health cluster app deployment package serve master agent marathon generate-docs help" -f -a "completions" -d 'Print a shell completion script'
complete -c mesos -n "__fish_mesos_using_subcommand help; and not __fish_seen_subcommand_from resolve state config completions ps frameworks agents top node task metrics cat head tail ls find download ssh scp events execute exec attach kill teardown health cluster app deployment package serve master agent marathon generate-docs help" -f -a "ps" -d 'List tasks with their resources and live CPU and memory usage'
complete -c mesos -n "__fish_mesos_using_subcommand help; and not __fish_seen_subcommand_from resolve state config completions ps frameworks agents top node task metrics cat head tail ls find download ssh scp events execute exec attach kill teardown health cluster app deployment package serve master agent marathon generate-docs help" -f -a "frameworks" -d 'List frameworks with their resources and task counts'
complete -c mesos -n "__fish_mesos_using_subcommand help; and not __fish_seen_subcommand_from resolve state config completions ps frameworks agents top node task metrics cat head tail ls find download ssh scp events execute exec attach kill teardown health cluster app deployment package serve master agent marathon generate-docs help" -f -a "agents" -d 'List agents with their resources, attributes and task counts'
complete -c mesos -n "__fish_mesos_using_subcommand help; and not __fish_seen_subcommand_from resolve state config completions ps frameworks agents top node task metrics cat head tail ls find download ssh scp events execute exec attach kill teardown health cluster app deployment package serve master agent marathon generate-docs help" -f -a "top" -d 'A live, full-screen view of the cluster: agents, busiest tasks, task counts'
complete -c mesos -n "__fish_mesos_using_subcommand help; and not __fish_seen_subcommand_from resolve state config completions ps frameworks agents top node task metrics cat head tail ls find download ssh scp events execute exec attach kill teardown health cluster app deployment package serve master agent marathon generate-docs help" -f -a "node" -d 'Work with cluster nodes (agents)'
complete -c mesos -n "__fish_mesos_using_subcommand help; and not __fish_seen_subcommand_from resolve state config completions ps frameworks agents top node task metrics cat head tail ls find download ssh scp events execute exec attach kill teardown health cluster app deployment package serve master agent marathon generate-docs help" -f -a "task" -d 'Work with tasks (metrics)'
complete -c mesos -n "__fish_mesos_using_subcommand help; and not __fish_seen_subcommand_from resolve state config completions ps frameworks agents top node task metrics cat head tail ls find download ssh scp events execute exec attach kill teardown health cluster app deployment package serve master agent marathon generate-docs help" -f -a "metrics" -d 'Print the raw metrics snapshot of the leading master or of one agent'
complete -c mesos -n "__fish_mesos_using_subcommand help; and not __fish_seen_subcommand_from resolve state config completions ps frameworks agents top node task metrics cat head tail ls find download ssh scp events execute exec attach kill teardown health cluster app deployment package serve master agent marathon generate-docs help" -f -a "cat" -d 'Print sandbox files of tasks, byte for byte'
complete -c mesos -n "__fish_mesos_using_subcommand help; and not __fish_seen_subcommand_from resolve state config completions ps frameworks agents top node task metrics cat head tail ls find download ssh scp events execute exec attach kill teardown health cluster app deployment package serve master agent marathon generate-docs help" -f -a "head" -d 'Print the first lines of sandbox files of tasks'
complete -c mesos -n "__fish_mesos_using_subcommand help; and not __fish_seen_subcommand_from resolve state config completions ps frameworks agents top node task metrics cat head tail ls find download ssh scp events execute exec attach kill teardown health cluster app deployment package serve master agent marathon generate-docs help" -f -a "tail" -d 'Print the end of sandbox files of tasks, or follow them'
complete -c mesos -n "__fish_mesos_using_subcommand help; and not __fish_seen_subcommand_from resolve state config completions ps frameworks agents top node task metrics cat head tail ls find download ssh scp events execute exec attach kill teardown health cluster app deployment package serve master agent marathon generate-docs help" -f -a "ls" -d 'List files in a task\'s sandbox'
complete -c mesos -n "__fish_mesos_using_subcommand help; and not __fish_seen_subcommand_from resolve state config completions ps frameworks agents top node task metrics cat head tail ls find download ssh scp events execute exec attach kill teardown health cluster app deployment package serve master agent marathon generate-docs help" -f -a "find" -d 'List a task\'s sandbox recursively'
complete -c mesos -n "__fish_mesos_using_subcommand help; and not __fish_seen_subcommand_from resolve state config completions ps frameworks agents top node task metrics cat head tail ls find download ssh scp events execute exec attach kill teardown health cluster app deployment package serve master agent marathon generate-docs help" -f -a "download" -d 'Copy files or whole directories out of a task\'s sandbox'
complete -c mesos -n "__fish_mesos_using_subcommand help; and not __fish_seen_subcommand_from resolve state config completions ps frameworks agents top node task metrics cat head tail ls find download ssh scp events execute exec attach kill teardown health cluster app deployment package serve master agent marathon generate-docs help" -f -a "ssh" -d 'Open a shell in a task\'s sandbox on its agent (over ssh)'
complete -c mesos -n "__fish_mesos_using_subcommand help; and not __fish_seen_subcommand_from resolve state config completions ps frameworks agents top node task metrics cat head tail ls find download ssh scp events execute exec attach kill teardown health cluster app deployment package serve master agent marathon generate-docs help" -f -a "scp" -d 'Copy local files to a directory on every agent, in parallel'
complete -c mesos -n "__fish_mesos_using_subcommand help; and not __fish_seen_subcommand_from resolve state config completions ps frameworks agents top node task metrics cat head tail ls find download ssh scp events execute exec attach kill teardown health cluster app deployment package serve master agent marathon generate-docs help" -f -a "events" -d 'Follow cluster events: tasks, frameworks and agents as they change'
complete -c mesos -n "__fish_mesos_using_subcommand help; and not __fish_seen_subcommand_from resolve state config completions ps frameworks agents top node task metrics cat head tail ls find download ssh scp events execute exec attach kill teardown health cluster app deployment package serve master agent marathon generate-docs help" -f -a "execute" -d 'Run a one-off task on the cluster and exit with its outcome'
complete -c mesos -n "__fish_mesos_using_subcommand help; and not __fish_seen_subcommand_from resolve state config completions ps frameworks agents top node task metrics cat head tail ls find download ssh scp events execute exec attach kill teardown health cluster app deployment package serve master agent marathon generate-docs help" -f -a "exec" -d 'Run a command inside a running task\'s container'
complete -c mesos -n "__fish_mesos_using_subcommand help; and not __fish_seen_subcommand_from resolve state config completions ps frameworks agents top node task metrics cat head tail ls find download ssh scp events execute exec attach kill teardown health cluster app deployment package serve master agent marathon generate-docs help" -f -a "attach" -d 'Attach to the terminal of a task launched with a TTY'
complete -c mesos -n "__fish_mesos_using_subcommand help; and not __fish_seen_subcommand_from resolve state config completions ps frameworks agents top node task metrics cat head tail ls find download ssh scp events execute exec attach kill teardown health cluster app deployment package serve master agent marathon generate-docs help" -f -a "kill" -d 'Kill tasks started by `mesos execute --detach`'
complete -c mesos -n "__fish_mesos_using_subcommand help; and not __fish_seen_subcommand_from resolve state config completions ps frameworks agents top node task metrics cat head tail ls find download ssh scp events execute exec attach kill teardown health cluster app deployment package serve master agent marathon generate-docs help" -f -a "teardown" -d 'Tear down frameworks, killing all their tasks (operators)'
complete -c mesos -n "__fish_mesos_using_subcommand help; and not __fish_seen_subcommand_from resolve state config completions ps frameworks agents top node task metrics cat head tail ls find download ssh scp events execute exec attach kill teardown health cluster app deployment package serve master agent marathon generate-docs help" -f -a "health" -d 'Check the health of a running cluster, one line per check (Nagios plugin)'
complete -c mesos -n "__fish_mesos_using_subcommand help; and not __fish_seen_subcommand_from resolve state config completions ps frameworks agents top node task metrics cat head tail ls find download ssh scp events execute exec attach kill teardown health cluster app deployment package serve master agent marathon generate-docs help" -f -a "cluster" -d 'Start, check and stop a real Mesos cluster (locally or over SSH)'
complete -c mesos -n "__fish_mesos_using_subcommand help; and not __fish_seen_subcommand_from resolve state config completions ps frameworks agents top node task metrics cat head tail ls find download ssh scp events execute exec attach kill teardown health cluster app deployment package serve master agent marathon generate-docs help" -f -a "app" -d 'Run and change long-running services on Marathon'
complete -c mesos -n "__fish_mesos_using_subcommand help; and not __fish_seen_subcommand_from resolve state config completions ps frameworks agents top node task metrics cat head tail ls find download ssh scp events execute exec attach kill teardown health cluster app deployment package serve master agent marathon generate-docs help" -f -a "deployment" -d 'List and roll back Marathon deployments'
complete -c mesos -n "__fish_mesos_using_subcommand help; and not __fish_seen_subcommand_from resolve state config completions ps frameworks agents top node task metrics cat head tail ls find download ssh scp events execute exec attach kill teardown health cluster app deployment package serve master agent marathon generate-docs help" -f -a "package" -d 'Find, install and remove packages (DC/OS Universe format) on Marathon'
complete -c mesos -n "__fish_mesos_using_subcommand help; and not __fish_seen_subcommand_from resolve state config completions ps frameworks agents top node task metrics cat head tail ls find download ssh scp events execute exec attach kill teardown health cluster app deployment package serve master agent marathon generate-docs help" -f -a "serve" -d 'Run a small built-in service (the programs of the built-in packages)'
complete -c mesos -n "__fish_mesos_using_subcommand help; and not __fish_seen_subcommand_from resolve state config completions ps frameworks agents top node task metrics cat head tail ls find download ssh scp events execute exec attach kill teardown health cluster app deployment package serve master agent marathon generate-docs help" -f -a "master" -d 'Run the bundled Mesos master daemon (real Mesos flags and HTTP APIs)'
complete -c mesos -n "__fish_mesos_using_subcommand help; and not __fish_seen_subcommand_from resolve state config completions ps frameworks agents top node task metrics cat head tail ls find download ssh scp events execute exec attach kill teardown health cluster app deployment package serve master agent marathon generate-docs help" -f -a "agent" -d 'Run the bundled Mesos agent daemon (runs real tasks in real sandboxes)'
complete -c mesos -n "__fish_mesos_using_subcommand help; and not __fish_seen_subcommand_from resolve state config completions ps frameworks agents top node task metrics cat head tail ls find download ssh scp events execute exec attach kill teardown health cluster app deployment package serve master agent marathon generate-docs help" -f -a "marathon" -d 'Run the bundled Marathon-compatible service scheduler (Marathon 1.5 REST API)'
complete -c mesos -n "__fish_mesos_using_subcommand help; and not __fish_seen_subcommand_from resolve state config completions ps frameworks agents top node task metrics cat head tail ls find download ssh scp events execute exec attach kill teardown health cluster app deployment package serve master agent marathon generate-docs help" -f -a "generate-docs" -d 'Regenerate man pages and completion scripts'
complete -c mesos -n "__fish_mesos_using_subcommand help; and not __fish_seen_subcommand_from resolve state config completions ps frameworks agents top node task metrics cat head tail ls find download ssh scp events execute exec attach kill teardown health cluster app deployment package serve master agent marathon generate-docs help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mesos -n "__fish_mesos_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "show" -d 'Print the whole config file'
complete -c mesos -n "__fish_mesos_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "get" -d 'Print one setting of the profile'
complete -c mesos -n "__fish_mesos_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "set" -d 'Set one setting of the profile'
complete -c mesos -n "__fish_mesos_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "unset" -d 'Remove one setting from the profile'
complete -c mesos -n "__fish_mesos_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "profiles" -d 'List the profiles'
complete -c mesos -n "__fish_mesos_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "use" -d 'Make a profile the active one'
complete -c mesos -n "__fish_mesos_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "delete" -d 'Delete a profile'
complete -c mesos -n "__fish_mesos_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "path" -d 'Print the config file path'
complete -c mesos -n "__fish_mesos_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "import" -d 'Import the older Python mesos-cli JSON config'
complete -c mesos -n "__fish_mesos_using_subcommand help; and __fish_seen_subcommand_from node" -f -a "list" -d 'List agents with their resources, attributes and task counts'
complete -c mesos -n "__fish_mesos_using_subcommand help; and __fish_seen_subcommand_from node" -f -a "ssh" -d 'Open a shell on an agent or master (over ssh)'
complete -c mesos -n "__fish_mesos_using_subcommand help; and __fish_seen_subcommand_from node" -f -a "exec" -d 'Run a command on many agents in parallel over SSH'
complete -c mesos -n "__fish_mesos_using_subcommand help; and __fish_seen_subcommand_from node" -f -a "metrics" -d 'Node metrics of agents (CPU, load, memory, disk; every datapoint)'
complete -c mesos -n "__fish_mesos_using_subcommand help; and __fish_seen_subcommand_from task" -f -a "metrics" -d 'Container metrics of tasks (CPU times, memory, disk; every datapoint)'
complete -c mesos -n "__fish_mesos_using_subcommand help; and __fish_seen_subcommand_from cluster" -f -a "up" -d 'Start a cluster and wait until it is ready'
complete -c mesos -n "__fish_mesos_using_subcommand help; and __fish_seen_subcommand_from cluster" -f -a "down" -d 'Stop every daemon of a cluster'
complete -c mesos -n "__fish_mesos_using_subcommand help; and __fish_seen_subcommand_from cluster" -f -a "status" -d 'Show each daemon of a cluster: alive, leader, registered agents'
complete -c mesos -n "__fish_mesos_using_subcommand help; and __fish_seen_subcommand_from cluster" -f -a "wait" -d 'Wait until a cluster is ready'
complete -c mesos -n "__fish_mesos_using_subcommand help; and __fish_seen_subcommand_from cluster" -f -a "list" -d 'List the clusters started with `up`'
complete -c mesos -n "__fish_mesos_using_subcommand help; and __fish_seen_subcommand_from cluster" -f -a "logs" -d 'Print (or follow) the logs of a cluster\'s daemons'
complete -c mesos -n "__fish_mesos_using_subcommand help; and __fish_seen_subcommand_from cluster" -f -a "doctor" -d 'Check the SSH hosts of a cluster file before `up`, and whether a cluster is secured'
complete -c mesos -n "__fish_mesos_using_subcommand help; and __fish_seen_subcommand_from cluster" -f -a "init" -d 'Write a commented example cluster file'
complete -c mesos -n "__fish_mesos_using_subcommand help; and __fish_seen_subcommand_from cluster" -f -a "host" -d 'Internal: run one request of `mesos cluster up -f` on an SSH host'
complete -c mesos -n "__fish_mesos_using_subcommand help; and __fish_seen_subcommand_from app" -f -a "list" -d 'List apps: ID, INSTANCES (running/wanted), HEALTHY, CPUS, MEM, DISK, DEPLOYMENT, CMD'
complete -c mesos -n "__fish_mesos_using_subcommand help; and __fish_seen_subcommand_from app" -f -a "show" -d 'Show one app (with --json: Marathon\'s app object)'
complete -c mesos -n "__fish_mesos_using_subcommand help; and __fish_seen_subcommand_from app" -f -a "add" -d 'Create an app from a JSON app definition (FILE, or - for stdin)'
complete -c mesos -n "__fish_mesos_using_subcommand help; and __fish_seen_subcommand_from app" -f -a "update" -d 'Change an app: the keys in FILE (or - for stdin) replace the app\'s'
complete -c mesos -n "__fish_mesos_using_subcommand help; and __fish_seen_subcommand_from app" -f -a "scale" -d 'Set the number of instances'
complete -c mesos -n "__fish_mesos_using_subcommand help; and __fish_seen_subcommand_from app" -f -a "restart" -d 'Replace every task of the app (a rolling restart by its upgradeStrategy)'
complete -c mesos -n "__fish_mesos_using_subcommand help; and __fish_seen_subcommand_from app" -f -a "kill" -d 'Kill one task of the app (all its tasks without TASK); Marathon starts replacements unless --scale'
complete -c mesos -n "__fish_mesos_using_subcommand help; and __fish_seen_subcommand_from app" -f -a "remove" -d 'Remove the app and kill its tasks'
complete -c mesos -n "__fish_mesos_using_subcommand help; and __fish_seen_subcommand_from app" -f -a "versions" -d 'List the stored versions of the app (with VERSION: that version\'s definition as JSON)'
complete -c mesos -n "__fish_mesos_using_subcommand help; and __fish_seen_subcommand_from app" -f -a "tasks" -d 'List the app\'s tasks: ID, HOST, STATE, PORTS, HEALTHY, STARTED, VERSION'
complete -c mesos -n "__fish_mesos_using_subcommand help; and __fish_seen_subcommand_from deployment" -f -a "list" -d 'List running deployments: ID, APPS, STEP, ACTIONS, VERSION'
complete -c mesos -n "__fish_mesos_using_subcommand help; and __fish_seen_subcommand_from deployment" -f -a "rollback" -d 'Revert a deployment\'s changes (a new deployment); with --force only cancel it'
complete -c mesos -n "__fish_mesos_using_subcommand help; and __fish_seen_subcommand_from package" -f -a "search" -d 'Search packages by name, tag or description: NAME, VERSION, SELECTED, FRAMEWORK, DESCRIPTION'
complete -c mesos -n "__fish_mesos_using_subcommand help; and __fish_seen_subcommand_from package" -f -a "describe" -d 'Show a package (with --json: the package as in the repository)'
complete -c mesos -n "__fish_mesos_using_subcommand help; and __fish_seen_subcommand_from package" -f -a "install" -d 'Install a package as a Marathon app and wait until it is healthy'
complete -c mesos -n "__fish_mesos_using_subcommand help; and __fish_seen_subcommand_from package" -f -a "list" -d 'List installed packages (Marathon apps with package labels): NAME, VERSION, APP, STATUS'
complete -c mesos -n "__fish_mesos_using_subcommand help; and __fish_seen_subcommand_from package" -f -a "uninstall" -d 'Remove an installed package\'s app (and tear down the framework it registered)'
complete -c mesos -n "__fish_mesos_using_subcommand help; and __fish_seen_subcommand_from package" -f -a "repo" -d 'Manage the package repositories (stored in the profile)'
complete -c mesos -n "__fish_mesos_using_subcommand help; and __fish_seen_subcommand_from serve" -f -a "hello" -d 'HTTP hello service: GET / greets, /echo echoes the request as JSON'
complete -c mesos -n "__fish_mesos_using_subcommand help; and __fish_seen_subcommand_from serve" -f -a "static" -d 'Serve a directory over HTTP (files, listings; never outside it)'
complete -c mesos -n "__fish_mesos_using_subcommand help; and __fish_seen_subcommand_from serve" -f -a "kv" -d 'Key-value store over HTTP (PUT/GET/DELETE /v1/kv/KEY), persisted to a file'
complete -c mesos -n "__fish_mesos_using_subcommand help; and __fish_seen_subcommand_from serve" -f -a "cron" -d 'Run a shell command on a schedule; GET /runs shows the last runs'
