# bash completion for tasktrace(1), the tasktrace admin command.
# Installed as share/bash-completion/completions/tasktrace (loaded on
# demand by bash-completion). Keep in step with `tasktrace CMD --help`.

_tasktrace_kinds="typing key button scroll motion touch gesture tablet focus idle active lock unlock session device gap"

_tasktrace()
{
	local cur prev words cword
	_init_completion || return

	local commands="query stats verify purge check-config mine me export export-scheduled report secret ship"
	local global="-s --store -c --config -h --help -V --version"

	# Find the command: the first word that is not a global option or
	# the argument of one.
	local i cmd=""
	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		-s | --store | -c | --config) ((i++)) ;;
		-*) ;;
		*) cmd=${words[i]}; break ;;
		esac
	done

	# Arguments of options, whatever the command.
	case $prev in
	-s | --store | -d | --dir | --state-dir)
		_filedir -d
		return ;;
	-c | --config | --secret)
		_filedir
		return ;;
	-o | --output)
		_filedir
		return ;;
	--since | --until | --before)
		COMPREPLY=($(compgen -W "today yesterday now -1h -2h -1d -7d -30d -90d" -- "$cur"))
		return ;;
	--user | -u)
		COMPREPLY=($(compgen -u -- "$cur"))
		return ;;
	--kind)
		# a comma-separated list: complete the last item
		local done_part="" last=$cur
		if [[ $cur == *,* ]]; then
			done_part=${cur%,*},
			last=${cur##*,}
		fi
		COMPREPLY=($(compgen -P "$done_part" -W "$_tasktrace_kinds" -- "$last"))
		compopt -o nospace
		return ;;
	--format | -f)
		if [[ $cmd == query ]]; then
			COMPREPLY=($(compgen -W "table jsonl csv" -- "$cur"))
		elif [[ $cmd == mine ]]; then
			COMPREPLY=($(compgen -W "table json" -- "$cur"))
		elif [[ $cmd == me ]]; then
			COMPREPLY=($(compgen -W "table jsonl" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "csv xes ocel jsonl" -- "$cur"))
		fi
		return ;;
	--formats | -F)
		COMPREPLY=($(compgen -W "csv xes ocel jsonl csv,xes csv,xes,ocel csv,xes,ocel,jsonl" -- "$cur"))
		return ;;
	--case)
		COMPREPLY=($(compgen -W "user-day session focus idle idle-gap=" -- "$cur"))
		[[ ${COMPREPLY[0]-} == *= ]] && compopt -o nospace
		return ;;
	--group | -g)
		COMPREPLY=($(compgen -g -- "$cur"))
		return ;;
	--report)
		COMPREPLY=($(compgen -W "no daily weekly" -- "$cur"))
		return ;;
	--idle-cut)
		COMPREPLY=($(compgen -W "90s 2m 5m 10m 30m" -- "$cur"))
		return ;;
	--title | -t)
		return ;;
	--socket)
		_filedir
		return ;;
	pause)
		[[ $cmd == me ]] && COMPREPLY=($(compgen -W "5m 15m 30m 1h" -- "$cur"))
		return ;;
	--app | --limit | --top | --keep | -k | --min-length | --max-length | \
	--min-occurrences | --instances)
		return ;;
	esac

	if [[ -z $cmd ]]; then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "$global" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$commands" -- "$cur"))
		fi
		return
	fi

	local select="--since --until --user --app --kind"
	local opts=""
	case $cmd in
	query) opts="$select --format --limit" ;;
	stats) opts="$select --top --json" ;;
	verify) opts="--quiet" ;;
	purge) opts="--before --user --all -y --yes" ;;
	check-config)
		if [[ $cur != -* ]]; then
			_filedir
			return
		fi ;;
	mine)
		opts="--since --until -u --user -a --app -f --format --min-length --max-length
		      --min-occurrences --top --idle-cut --instances -p --pseudonymize --secret
		      -q --quiet" ;;
	export)
		opts="-f --format -o --output --since --until -u --user --case
		      -p --pseudonymize --no-pseudonymize --secret -s --store -q --quiet" ;;
	export-scheduled)
		opts="-d --dir -F --formats -k --keep -g --group --report --since --until --case
		      -u --user -p --pseudonymize --no-pseudonymize --secret -s --store -q --quiet" ;;
	report)
		opts="-o --output --since --until -u --user -p --pseudonymize --no-pseudonymize
		      --secret -t --title -s --store -q --quiet" ;;
	secret) opts="hash-id --create --check --secret --case" ;;
	me)
		if [[ $cur != -* && $prev == me ]]; then
			COMPREPLY=($(compgen -W "pause resume status" -- "$cur"))
			return
		fi
		opts="--since --until --format --limit --summary --socket" ;;
	ship) opts="--status --now --batch --budget --state-dir -v --verbose" ;;
	esac
	COMPREPLY=($(compgen -W "$opts -h --help" -- "$cur"))
}
complete -F _tasktrace tasktrace
