#!/bin/sh
# Checks the extension's SQL scripts for the patterns that PostgreSQL's
# "Security Considerations for Extension Scripts" warn about.
#
#   test/t/lint_scripts.sh [FILE...]
#
# Without arguments it reads sql/parts/*.sql (the install script is their
# concatenation) and the update scripts sql/dormant--A--B.sql of the tree it
# is in, from any directory.  It prints one
# line per finding and exits 1 if any finding is not on the list of known
# ones below, or if a known one is gone (then shorten the list).
#
# Rules, and where they apply:
#
#  or_replace     CREATE OR REPLACE of anything, at statement level: it would
#                 take over an object of the same name that someone else
#                 created first.  In an update script it is allowed for a name
#                 that an earlier script created (a member of the extension,
#                 which the server checks).  Inside function bodies, dynamic
#                 SQL may run CREATE OR REPLACE VIEW: that is how the bound
#                 views are redefined, and they are members of the extension,
#                 created by the install script itself; any other kind is a
#                 finding.
#  if_not_exists  CREATE ... IF NOT EXISTS (or ADD COLUMN IF NOT EXISTS), at
#                 statement level or in dynamic SQL: an existing object of
#                 that name would be used as if it were ours.  PL/pgSQL's
#                 IF NOT EXISTS (subquery) is a condition, not DDL, and passes.
#  quoted_schema  @extschema@ (or @extowner@, @extschema:name@) inside a
#                 '...' literal or a "..." identifier (CVE-2023-39417).
#                 Dollar-quoted function bodies are code here: the schema is
#                 fixed by the control file (schema = dormant, relocatable =
#                 false), and servers since 15.4 refuse a substituted name
#                 with a quote, backslash or dollar sign.
#  unqualified    A name that an object is created under, or that a
#                 statement of the script works on, is not schema-qualified
#                 (@extschema@. for ours, pg_catalog. for built-in functions).
#                 Roles, indexes and triggers take no schema.
#  bare_operator  An operator in a CHECK constraint or a column DEFAULT that
#                 is not written OPERATOR(pg_catalog.x).
#  bare_function  An unqualified function call in the same places.
#  search_path    A LANGUAGE sql or plpgsql function without
#                 SET search_path = pg_catalog, pg_temp and without a
#                 BEGIN ATOMIC body.
#  definer        A SECURITY DEFINER function without that search_path, or
#                 without REVOKE EXECUTE ... FROM PUBLIC in the same script.
#
# Not checked, and why: operators and functions inside BEGIN ATOMIC bodies
# and inside PL/pgSQL bodies.  PL/pgSQL bodies are parsed when first run,
# under their own SET search_path = pg_catalog, pg_temp (rule search_path),
# so a caller's search_path never reaches them.  BEGIN ATOMIC bodies, views,
# CHECK constraints and defaults are parsed once, when the script creates
# them, under the search_path that CREATE EXTENSION sets: "dormant, pg_temp",
# with pg_catalog implicitly first and pg_temp never searched for functions
# or operators.  There, a bare operator binds to pg_catalog's, unless the
# schema dormant already holds a better-matching one that someone else put
# there before the install.  That is prevented by refusing to install into a
# schema the installing role does not own (test/sql/security.sql, object
# squatting), not by spelling every operator of a 200-line query as
# OPERATOR(pg_catalog.x).  The short expressions of constraints and defaults
# are held to the stricter rule anyway, as defence in depth; views, like
# BEGIN ATOMIC bodies, must name every relation they read by schema, since
# pg_temp is searched for relations.
set -eu
script=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
# Without arguments, the scripts of the tree this file is in.
[ $# -gt 0 ] || cd "$(dirname "$script")/../.."
exec perl -x "$script" "$@"

#!perl
use strict;
use warnings;

# Findings that the scripts have today, each with its file, rule and a piece
# of the statement it is in.  Remove an entry when it is fixed.
my @known = (
);

my @files = @ARGV;
if (!@files)
{
	@files = sort glob('sql/parts/*.sql');
	push @files, sort { version_key($a) cmp version_key($b) } glob('sql/dormant--*--*.sql');
}
die "lint_scripts: no scripts found\n" unless @files;

my @findings;
my %created;	# lower-case object names created by the scripts read so far

for my $file (@files)
{
	open(my $fh, '<', $file) or die "lint_scripts: $file: $!\n";
	local $/;
	my $text = <$fh>;
	close $fh;
	lint_file($file, $text);
}

# Match the findings against the known ones.
my @unexpected;
my %known_used;
for my $f (@findings)
{
	my ($file, $line, $rule, $message, $statement) = @$f;
	my $base = $file;
	$base =~ s{.*/}{};
	my $match;
	for my $i (0 .. $#known)
	{
		my ($kfile, $krule, $kpiece) = @{ $known[$i] };
		next unless $kfile eq $base && $krule eq $rule && index($statement, $kpiece) >= 0;
		$match = $i;
		last;
	}
	if (defined $match)
	{
		$known_used{$match}++;
		print "known: $file:$line: $rule: $message\n";
	}
	else
	{
		push @unexpected, $f;
		print "$file:$line: $rule: $message\n";
	}
}
my %linted = map { (my $b = $_) =~ s{.*/}{}; ($b => 1) } @files;
my @gone = grep { !$known_used{$_} && $linted{ $known[$_][0] } } 0 .. $#known;
for my $i (@gone)
{
	my ($kfile, $krule, $kpiece) = @{ $known[$i] };
	print "fixed: $kfile: $krule: $kpiece is gone; remove it from the known list\n";
}
printf "lint_scripts: %d files, %d findings (%d known), %d fixed\n",
  scalar(@files), scalar(@findings), scalar(@findings) - scalar(@unexpected), scalar(@gone);
exit((@unexpected || @gone) ? 1 : 0);

sub version_key
{
	my ($name) = @_;
	my ($from) = $name =~ /--([0-9.]+)--/;
	return join('.', map { sprintf('%05d', $_) } split(/\./, $from // '0'));
}

sub finding
{
	my ($file, $line, $rule, $message, $statement) = @_;
	push @findings, [ $file, $line, $rule, $message, $statement ];
}

# Splits SQL text into a masked copy of the same length, in which comments
# are blanked and the insides of literals, quoted identifiers and
# dollar-quoted bodies are replaced (newlines kept, so that offsets still give
# line numbers), and a list of the quoted pieces with their offsets.
sub mask
{
	my ($text) = @_;
	my $masked = '';
	my @pieces;	# [kind, offset, inner text]; kind is ', " or $
	my $i = 0;
	my $n = length($text);
	while ($i < $n)
	{
		my $rest = substr($text, $i);
		my $whole;
		if ($rest =~ /^--[^\n]*/ || (($i == 0 || substr($text, $i - 1, 1) eq "\n") && $rest =~ /^\\[^\n]*/))
		{
			# a comment, or a psql meta-command such as the \echo guard
			$whole = $&;
			$masked .= ' ' x length($whole);
		}
		elsif ($rest =~ m{^/\*.*?\*/}s)
		{
			$whole = $&;
			(my $blank = $whole) =~ s/[^\n]/ /g;
			$masked .= $blank;
		}
		elsif ($rest =~ /^([Ee])'((?:[^'\\]|''|\\.)*)'/s && ($i == 0 || substr($text, $i - 1, 1) !~ /\w/)
			   || $rest =~ /^()'((?:[^']|'')*)'/s)
		{
			my ($prefix, $inner) = ($1, $2);
			$whole = $&;
			push @pieces, [ "'", $i, $inner ];
			(my $blank = $inner) =~ s/[^\n]/x/g;
			$masked .= $prefix . "'" . $blank . "'";
		}
		elsif ($rest =~ /^"((?:[^"]|"")*)"/s)
		{
			# Identifiers stay readable: pg_catalog."C" is a qualified name.
			$whole = $&;
			push @pieces, [ '"', $i, $1 ];
			$masked .= $whole;
		}
		elsif ($rest =~ /^(\$(?:[A-Za-z_][A-Za-z_0-9]*)?\$)(.*?)\1/s)
		{
			my ($tag, $inner) = ($1, $2);
			$whole = $&;
			push @pieces, [ '$', $i + length($tag), $inner ];
			(my $blank = $inner) =~ s/[^\n]/ /g;
			$masked .= $tag . $blank . $tag;
		}
		else
		{
			$whole = substr($text, $i, 1);
			$masked .= $whole;
		}
		$i += length($whole);
	}
	return ($masked, \@pieces);
}

# Statement spans [start, end) of masked text.  A semicolon ends a statement,
# except inside the BEGIN ATOMIC body of a CREATE FUNCTION or PROCEDURE,
# where psql too counts BEGIN and CASE against END.
sub statements
{
	my ($masked) = @_;
	my @spans;
	my $start = 0;
	my $depth = 0;
	my $routine;
	while ($masked =~ /(;)|\b(BEGIN|CASE|END)\b/gi)
	{
		my ($pos, $word) = ($-[0], $2);
		if (!defined $routine)
		{
			my $head = substr($masked, $start, $pos - $start);
			$routine = $head =~ /^\s*CREATE\s+(?:OR\s+REPLACE\s+)?(?:FUNCTION|PROCEDURE)\b/i ? 1 : 0;
		}
		if (defined $word)
		{
			next unless $routine;
			if (uc($word) eq 'END') { $depth-- if $depth > 0 }
			else { $depth++ }
			next;
		}
		next if $depth > 0;
		push @spans, [ $start, $pos + 1 ];
		$start = $pos + 1;
		undef $routine;
	}
	push @spans, [ $start, length($masked) ] if substr($masked, $start) =~ /\S/;
	return @spans;
}

sub line_of
{
	my ($text, $offset) = @_;
	return 1 + (substr($text, 0, $offset) =~ tr/\n//);
}

sub squeeze
{
	my ($s) = @_;
	$s =~ s/\s+/ /g;
	$s =~ s/^ //;
	$s =~ s/ $//;
	return length($s) > 70 ? substr($s, 0, 67) . '...' : $s;
}

my $KEYWORDS;
BEGIN
{
	# Words followed by "(" that are syntax, not function calls, or type
	# names with a modifier.
	$KEYWORDS = join('|', qw(
		ALL AND ANY ARRAY AS BETWEEN CASE CAST CHECK COALESCE ELSE EXISTS
		EXTRACT FILTER FROM GREATEST IN IS KEY LEAST NOT NULLIF ON OR OVER
		OVERLAPS POSITION PRIMARY REFERENCES ROW SELECT SUBSTRING THEN TRIM
		UNIQUE USING VALUES WHEN WHERE WITH WITHIN OPERATOR
		NUMERIC DECIMAL VARCHAR CHAR CHARACTER VARYING BIT TIME TIMESTAMP
		INTERVAL FLOAT));
}

# Operators and unqualified calls in an expression (CHECK, DEFAULT, view).
sub check_expression
{
	my ($file, $text, $offset, $expr, $where, $statement) = @_;
	my $e = $expr;
	my $blank = sub { (my $b = $_[0]) =~ s/[^\n]/ /g; $b };
	$e =~ s/(\@extschema\@)/$blank->($1)/ge;
	$e =~ s/(OPERATOR\s*\(\s*pg_catalog\s*\.\s*[^)\s]+\s*\))/"\x01" x length($1)/gie;
	$e =~ s/(::)/$blank->($1)/ge;
	$e =~ s/(=>)/$blank->($1)/ge;
	# SELECT *, x.* and count(*) are not multiplication.
	$e =~ s/((?:\bSELECT|[.,(])\s*)\*/$1 /gi;
	# A minus sign in front of a number is part of the constant.
	$e =~ s/((?:^|[(,=<>+\-*\/\x01]|\b(?:THEN|ELSE|WHEN|AND|OR|NOT|SELECT)\b)\s*)-(?=\s*[0-9.])/$1 /gi;
	while ($e =~ /(<>|!=|<=|>=|\|\||[<>=+\-*\/%^~!#&|])/g)
	{
		my $at = $offset + $-[0];
		finding($file, line_of($text, $at), 'bare_operator',
				"$where uses \"$1\"; write OPERATOR(pg_catalog.$1)", $statement);
	}
	while ($expr =~ /(?<![.\w"\$\@])([A-Za-z_][A-Za-z_0-9]*)\s*\(/g)
	{
		my ($name, $at) = ($1, $offset + $-[1]);
		next if $name =~ /^(?:$KEYWORDS)$/i;
		my $before = substr($expr, 0, $-[1]);
		next if $before =~ /\bAS\s*$/i;
		finding($file, line_of($text, $at), 'bare_function',
				"$where calls $name() unqualified; write pg_catalog.$name()", $statement);
	}
}

# The expression that starts at $pos: up to the parenthesis that closes
# the one before it, or a comma at depth 0 (for DEFAULT, up to a constraint
# keyword too).
sub expression_end
{
	my ($s, $pos, $stop_words) = @_;
	my $depth = 0;
	for (my $i = $pos; $i < length($s); $i++)
	{
		my $c = substr($s, $i, 1);
		if ($c eq '(') { $depth++ }
		elsif ($c eq ')')
		{
			return $i if $depth == 0;
			$depth--;
		}
		elsif ($c eq ',' && $depth == 0) { return $i }
		elsif ($stop_words && $depth == 0
			   && substr($s, $i) =~ /^\b(?:NOT\s+NULL|NULL|CHECK|REFERENCES|PRIMARY|UNIQUE|CONSTRAINT|COLLATE|GENERATED)\b/i
			   && substr($s, $i - 1, 1) =~ /\s/)
		{
			return $i;
		}
	}
	return length($s);
}

sub qualified
{
	my ($name) = @_;
	return $name =~ /^(?:\@extschema\@|pg_catalog)\s*\./i;
}

sub lint_file
{
	my ($file, $text) = @_;
	my ($masked, $pieces) = mask($text);
	my $is_update = $file =~ /--[0-9.]+--[0-9.]+\.sql$/;
	my %definers;
	my %revoked;

	# quoted_schema: in any literal or quoted identifier, also within bodies.
	for my $p (@$pieces)
	{
		my ($kind, $offset, $inner) = @$p;
		if ($kind eq '$')
		{
			my ($bmasked, $bpieces) = mask($inner);
			for my $q (@$bpieces)
			{
				next if $q->[0] eq '$';
				quoted_schema($file, $text, $offset + $q->[1], $q->[2], $q->[0]);
			}
			next;
		}
		quoted_schema($file, $text, $offset, $inner, $kind);
	}

	for my $span (statements($masked))
	{
		my ($start, $end) = @$span;
		my $stmt = substr($masked, $start, $end - $start);
		my $raw = substr($text, $start, $end - $start);
		next unless $stmt =~ /\S/;
		my $lead = length(($stmt =~ /^(\s*)/)[0]);
		my $line = line_of($text, $start + $lead);
		my $show = squeeze($stmt);

		# or_replace
		if ($stmt =~ /\bCREATE\s+OR\s+REPLACE\s+(\w+)\s+((?:\@extschema\@\.)?[\w"]+)/i)
		{
			my ($kind, $name) = (uc($1), lc($2));
			$name =~ s/^\@extschema\@\.//;
			unless ($is_update && $created{"$kind $name"})
			{
				finding($file, $line, 'or_replace',
						"CREATE OR REPLACE $kind: use plain CREATE for a new object", $raw);
			}
		}
		# if_not_exists
		while ($stmt =~ /\bIF\s+NOT\s+EXISTS\b(?!\s*\()/gi)
		{
			finding($file, line_of($text, $start + $-[0]), 'if_not_exists',
					"IF NOT EXISTS would adopt an object someone else created", $raw);
		}

		# Names created, and statement targets.
		if ($stmt =~ /^\s*CREATE\s+(?:OR\s+REPLACE\s+)?(?:(?:TEMP|TEMPORARY|UNLOGGED)\s+)?(MATERIALIZED\s+VIEW|TABLE|VIEW|FUNCTION|PROCEDURE|AGGREGATE|TYPE|DOMAIN|SEQUENCE|OPERATOR\s+CLASS|OPERATOR\s+FAMILY|OPERATOR|COLLATION|CAST|SCHEMA|ROLE|INDEX|TRIGGER|EXTENSION|EVENT\s+TRIGGER|POLICY|RULE)\b\s*(.*)/is)
		{
			my ($kind, $rest) = (uc($1), $2);
			$kind =~ s/\s+/ /g;
			if ($kind =~ /^(?:TABLE|VIEW|MATERIALIZED VIEW|FUNCTION|PROCEDURE|AGGREGATE|TYPE|DOMAIN|SEQUENCE|OPERATOR|OPERATOR CLASS|OPERATOR FAMILY|COLLATION)$/)
			{
				my ($name) = $rest =~ /^(?:IF\s+NOT\s+EXISTS\s+)?((?:\@extschema\@\s*\.\s*)?(?:"[^"]*"|[^\s(]+))/i;
				$name //= '';
				if (!qualified($name))
				{
					finding($file, $line, 'unqualified',
							"CREATE $kind $name: qualify the name with \@extschema\@.", $raw);
				}
				(my $bare = lc($name)) =~ s/^\@extschema\@\s*\.\s*//;
				$created{"$kind $bare"} = 1;
			}
			elsif ($kind =~ /^(?:INDEX|TRIGGER|POLICY|RULE)$/)
			{
				while ($rest =~ /\bON\s+((?:ONLY\s+)?[^\s(]+)/gi)
				{
					my $target = $1;
					$target =~ s/^ONLY\s+//i;
					next if $target =~ /^(?:DELETE|INSERT|UPDATE|SELECT|TRUNCATE)$/i;
					finding($file, $line, 'unqualified', "CREATE $kind ... ON $target: qualify it", $raw)
					  unless qualified($target);
					last;
				}
			}
			if ($kind eq 'FUNCTION' || $kind eq 'PROCEDURE')
			{
				check_routine($file, $text, $start, $stmt, $raw, $line, \%definers);
			}
			elsif ($kind eq 'TABLE')
			{
				check_table($file, $text, $start, $stmt, $raw);
			}
			elsif ($kind eq 'VIEW' || $kind eq 'MATERIALIZED VIEW')
			{
				check_view($file, $text, $start, $stmt, $raw);
			}
		}
		# Other statements on one of our objects.
		my @targets;
		push @targets, $1 while $stmt =~ /^\s*(?:ALTER\s+(?:TABLE|VIEW|FUNCTION|TYPE|AGGREGATE|SEQUENCE|DOMAIN|INDEX)\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?|INSERT\s+INTO\s+|UPDATE\s+(?:ONLY\s+)?|DELETE\s+FROM\s+(?:ONLY\s+)?|TRUNCATE\s+(?:TABLE\s+)?)([^\s(]+)/gi;
		push @targets, $1 while $stmt =~ /\bREFERENCES\s+([^\s(,]+)/gi;
		push @targets, $1 while $stmt =~ /\bEXECUTE\s+(?:FUNCTION|PROCEDURE)\s+([^\s(]+)/gi;
		push @targets, $1 while $stmt =~ /\b(?:SFUNC|FINALFUNC|COMBINEFUNC|SERIALFUNC|DESERIALFUNC|MSFUNC|MINVFUNC|MFINALFUNC|INPUT|OUTPUT|RECEIVE|SEND|TYPMOD_IN|TYPMOD_OUT|ANALYZE|SUBSCRIPT)\s*=\s*([^\s,)]+)/gi;
		if ($stmt =~ /^\s*COMMENT\s+ON\s+(?:COLUMN|TABLE|VIEW|MATERIALIZED\s+VIEW|FUNCTION|PROCEDURE|AGGREGATE|TYPE|DOMAIN|SEQUENCE|INDEX|OPERATOR)\s+([^\s(]+)/i)
		{
			push @targets, $1;
		}
		if ($stmt =~ /^\s*(?:GRANT|REVOKE)\b.*?\bON\s+(?:(?:TABLE|SEQUENCE|FUNCTION|PROCEDURE|ROUTINE|TYPE|DOMAIN)\s+)?(.*?)\s+(?:TO|FROM)\b/is)
		{
			my $list = $1;
			unless ($list =~ /^\s*(?:SCHEMA|DATABASE|LANGUAGE|ALL\s+\w+\s+IN\s+SCHEMA|FOREIGN|LARGE)\b/i)
			{
				$list =~ s/\([^()]*\)//g;
				push @targets, grep { /\S/ } map { s/^\s+|\s+$//gr } split(/,/, $list);
			}
		}
		if ($stmt =~ /^\s*(?:GRANT|REVOKE)\b.*?\bEXECUTE\s+ON\s+FUNCTION\s+([^\s(]+).*?\bFROM\s+PUBLIC\b/is)
		{
			(my $name = lc($1)) =~ s/^\@extschema\@\s*\.\s*//;
			$revoked{$name} = 1 if $stmt =~ /^\s*REVOKE\b/i;
		}
		# A top-level SELECT or PERFORM of a function.
		push @targets, "$1(" if $stmt =~ /^\s*SELECT\s+([\w.\@]+)\s*\(/i;
		for my $t (@targets)
		{
			(my $name = $t) =~ s/\($//;
			next if $name =~ /^(?:\@extschema\@|pg_catalog)\s*\./i;
			finding($file, $line, 'unqualified', "$name: qualify it with \@extschema\@. or pg_catalog.", $raw);
		}
	}

	for my $name (sort keys %definers)
	{
		next if $revoked{$name};
		finding($file, $definers{$name}, 'definer',
				"SECURITY DEFINER function $name: REVOKE EXECUTE ... FROM PUBLIC in the same script", $name);
	}
}

sub quoted_schema
{
	my ($file, $text, $offset, $inner, $kind) = @_;
	return unless $inner =~ /\@(?:extschema|extowner)(?::[^\@]*)?\@/;
	my $q = $kind eq '"' ? '"' : "'";
	finding($file, line_of($text, $offset), 'quoted_schema',
			"\@extschema\@ inside $q...$q: a substituted name is not quoted for it",
			$q . $inner . $q);
}

sub check_routine
{
	my ($file, $text, $start, $stmt, $raw, $line, $definers) = @_;
	my ($name) = $stmt =~ /\b(?:FUNCTION|PROCEDURE)\s+((?:\@extschema\@\s*\.\s*)?[\w"]+)/i;
	(my $bare = lc($name // '')) =~ s/^\@extschema\@\s*\.\s*//;
	my ($language) = $stmt =~ /\bLANGUAGE\s+"?(\w+)"?/i;
	$language = lc($language // 'sql');
	my $atomic = $stmt =~ /\bBEGIN\s+ATOMIC\b/i;
	my $path = $stmt =~ /\bSET\s+search_path\s*(?:=|TO)\s*pg_catalog\s*,\s*pg_temp\s*(?:$|\n|\b(?:AS|SET|LANGUAGE|RETURNS|SECURITY|IMMUTABLE|STABLE|VOLATILE|STRICT|PARALLEL|COST|ROWS|BEGIN)\b)/i;
	if (($language eq 'sql' || $language eq 'plpgsql') && !$atomic && !$path)
	{
		finding($file, $line, 'search_path',
				"function $bare ($language): add SET search_path = pg_catalog, pg_temp, or use BEGIN ATOMIC", $raw);
	}
	if ($stmt =~ /\bSECURITY\s+DEFINER\b/i)
	{
		finding($file, $line, 'definer', "SECURITY DEFINER function $bare: SET search_path = pg_catalog, pg_temp", $raw)
		  unless $path;
		$definers->{$bare} = $line;
	}

	# Dynamic SQL in the body: CREATE OR REPLACE VIEW only; no IF NOT EXISTS.
	my ($masked, $pieces) = mask($raw);
	for my $p (@$pieces)
	{
		next unless $p->[0] eq '$';
		my ($bmasked, $bpieces) = mask($p->[2]);
		my $boffset = $start + $p->[1];
		while ($bmasked =~ /\bIF\s+NOT\s+EXISTS\b(?!\s*\()/gi)
		{
			finding($file, line_of($text, $boffset + $-[0]), 'if_not_exists',
					"IF NOT EXISTS in function $bare would adopt an object someone else created", $raw);
		}
		while ($bmasked =~ /\bCREATE\s+OR\s+REPLACE\b/gi)
		{
			finding($file, line_of($text, $boffset + $-[0]), 'or_replace',
					"CREATE OR REPLACE in function $bare", $raw);
		}
		for my $q (@$bpieces)
		{
			next unless $q->[0] eq "'";
			my $sql = $q->[2];
			while ($sql =~ /\bCREATE\s+OR\s+REPLACE\s+(\w+)/gi)
			{
				next if uc($1) eq 'VIEW';
				finding($file, line_of($text, $boffset + $q->[1]), 'or_replace',
						"dynamic CREATE OR REPLACE " . uc($1) . " in function $bare (only VIEW is allowed)", $raw);
			}
			while ($sql =~ /\bIF\s+NOT\s+EXISTS\b/gi)
			{
				finding($file, line_of($text, $boffset + $q->[1]), 'if_not_exists',
						"dynamic IF NOT EXISTS in function $bare", $raw);
			}
		}
	}
}

sub check_table
{
	my ($file, $text, $start, $stmt, $raw) = @_;
	while ($stmt =~ /\bCHECK\s*\(/gi)
	{
		my $from = $+[0];
		my $to = expression_end($stmt, $from, 0);
		pos($stmt) = $from;
		check_expression($file, $text, $start + $from, substr($stmt, $from, $to - $from),
						 'CHECK constraint', $raw);
		pos($stmt) = $to;
	}
	while ($stmt =~ /\bDEFAULT\s+/gi)
	{
		my $from = $+[0];
		my $to = expression_end($stmt, $from, 1);
		check_expression($file, $text, $start + $from, substr($stmt, $from, $to - $from),
						 'DEFAULT', $raw);
		pos($stmt) = $to;
	}
}

sub check_view
{
	my ($file, $text, $start, $stmt, $raw) = @_;
	return unless $stmt =~ /\bAS\s+(?=SELECT|WITH|VALUES|TABLE|\()/gi;
	my $from = $+[0];
	my $body = substr($stmt, $from);
	my %ctes;
	$ctes{lc $1} = 1 while $body =~ /(?:\bWITH|,)\s+(?:RECURSIVE\s+)?(\w+)\s+AS\s+(?:NOT\s+)?(?:MATERIALIZED\s+)?\(/gi;
	while ($body =~ /\b(?:FROM|JOIN)\s+(?!\(|LATERAL\b)([\w"\@]+(?:\s*\.\s*[\w"]+)?)/gi)
	{
		my ($name, $at) = ($1, $from + $-[1]);
		next if $name =~ /\./ && qualified($name);
		next if $ctes{lc $name};
		finding($file, line_of($text, $start + $at), 'unqualified',
				"view reads $name: qualify it with \@extschema\@. or pg_catalog.", $raw);
	}
}
