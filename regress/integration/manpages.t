#!/bin/sh
# The man pages in doc/ are clean mdoc (mandoc -T lint -W warning says
# nothing) and say what the code does: every option letter of tortied's
# getopt string is an item of tortied(8), every tortiectl command and
# global option is in tortiectl(8), every tortie.yaml key of dconf.c is in
# tortie.yaml(5) and every resource field of resource_tables.c is in
# tortie-resources(5).  The names are taken from the sources, so that a new
# option or field without documentation fails here.
. "$(dirname "$0")/../lib/tap.sh"

DOC=$TOP/doc

if ! command -v mandoc >/dev/null 2>&1; then
	ok 1 "mandoc is installed (run make deps)"
	done_testing
	exit 1
fi

# One line per page: no warning, no error.
for page in "$DOC"/*.[1-9]; do
	[ -f "$page" ] || continue
	out=$(mandoc -T lint -W warning "$page" 2>&1)
	if [ -z "$out" ]; then
		ok 0 "mandoc lint: ${page##*/}"
	else
		ok 1 "mandoc lint: ${page##*/}"
		echo "$out" | sed 's/^/#   /'
	fi
done

# has_all PAGE WHAT PATTERN_PREFIX PATTERN_SUFFIX NAME...: one line that
# says whether every NAME occurs in PAGE as PREFIX NAME SUFFIX (ERE).
has_all() {
	_page=$1 _what=$2 _pre=$3 _suf=$4
	shift 4
	_missing=
	for _n in "$@"; do
		grep -Eq -- "$_pre$_n$_suf" "$DOC/$_page" ||
		    _missing="$_missing $_n"
	done
	if [ $# -eq 0 ]; then
		ok 1 "$_page: $_what (none found in the sources)"
	elif [ -z "$_missing" ]; then
		ok 0 "$_page: $_what ($#)"
	else
		ok 1 "$_page: $_what"
		echo "#   missing:$_missing"
	fi
}

# tortied: the letters of getopt(argc, argv, "..."), each an .It Fl X.
opts=$(sed -n 's/.*getopt(argc, argv, "\([^"]*\)").*/\1/p' \
    "$TOP/bgpd/tortied.c" | head -1 | tr -d ':' | sed 's/./& /g')
has_all tortied.8 "every getopt option letter is documented" \
    '^\.It Fl ' '( |$)' $opts

# tortiectl: the commands of main(), the resource verbs of the verb table,
# the objects of show, and the global options.
cmds=$(sed -n 's/.*strcmp(argv\[0\], "\([a-z]*\)").*/\1/p' \
    "$TOP/ctl/tortiectl.c")
verbs=$(sed -n 's/^[[:space:]]*{ "\([a-z]*\)", [a-zA-Z"]*, CR_[A-Z]* },.*/\1/p' \
    "$TOP/ctl/ctl_resource.c")
shows=$(grep -oE 'strcmp\(what, "[a-z]+"\)' "$TOP/ctl/ctl_status.c" |
    sed 's/.*"\([a-z]*\)".*/\1/')
has_all tortiectl.8 "every command is documented" 'Cm ' \
    '( |$)' $cmds $verbs
has_all tortiectl.8 "every show object is documented" 'Cm show ' '( |$)' \
    $shows
gopts=$(grep -oE 'strcmp\(argv\[i\], "-[a-zA-Z]"\)' "$TOP/ctl/tortiectl.c" |
    sed 's/.*"-\([a-zA-Z]\)".*/\1/' | sort -u)
has_all tortiectl.8 "every option is documented" 'Fl ' '( |$)' $gopts

# tortie.yaml: every key dconf.c compares with.
keys=$(sed -n 's/.*strcmp(\(k\|p->key\), "\([A-Za-z]*\)").*/\2/p' \
    "$TOP/common/dconf.c")
has_all tortie.yaml.5 "every key is documented" '^\.It Ic ' '( |$)' $keys

# Resources: every field name of every kind.
fields=$(grep -oE '(FH?\("|\.name = ")[A-Za-z0-9]+"' \
    "$TOP/common/resource_tables.c" | sed 's/.*"\([A-Za-z0-9]*\)"/\1/' |
    sort -u)
has_all tortie-resources.5 "every resource field is documented" \
    '(^|[ .])' '([ .,]|$)' $fields

done_testing
