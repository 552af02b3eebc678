# bash completion for mcd: options, their values (layouts, formats, shape
# types), and for -wrt the names in the expression already on the line.
_mcd_names()
{
	local w
	for w in "${COMP_WORDS[@]}"; do
		case $w in -*) continue ;; esac
		printf '%s\n' "$w" | grep -oE '[A-Za-z][A-Za-z0-9_]*' |
			grep -vxE 'tr|det|logdet|inv|diag|vec|sum|norm|kron|exp|log|sin|cos|tanh|sigmoid|sqrt|abs|relu|softplus|sign|step|softmax|logsumexp|I|ones|T|where'
	done | sort -u
}

_mcd()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
	case $prev in
	-w | -wrt | --wrt)
		COMPREPLY=($(compgen -W "$(_mcd_names)" -- "$cur"))
		return ;;
	-L | --layout | -layout)
		COMPREPLY=($(compgen -W "numerator denominator mixed" -- "$cur"))
		return ;;
	--symmetric-gradient | -symmetric-gradient)
		COMPREPLY=($(compgen -W "free sym cookbook" -- "$cur"))
		return ;;
	--share | -share)
		COMPREPLY=($(compgen -W "auto never" -- "$cur"))
		return ;;
	-f | --format | -format)
		COMPREPLY=($(compgen -W "text unicode latex python json" -- "$cur"))
		return ;;
	-d | --declare | -declare | -s | --symmetric | --seed | --max-nodes)
		return ;;
	esac
	case $cur in
	--layout=*) COMPREPLY=($(compgen -P --layout= -W "numerator denominator mixed" -- "${cur#--layout=}")) ;;
	--format=*) COMPREPLY=($(compgen -P --format= -W "text unicode latex python json" -- "${cur#--format=}")) ;;
	-*) COMPREPLY=($(compgen -W "-wrt --wrt --layout --hessian --check --no-check --seed --max-nodes
		--format --declare --symmetric --shapes --expect --share --symmetric-gradient --help --version" -- "$cur")) ;;
	esac
}
complete -F _mcd mcd
