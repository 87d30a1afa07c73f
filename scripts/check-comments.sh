#!/usr/bin/env bash
# Fails when a code comment carries a measurement or history. Comments say why, in the present tense; an experiment's
# figures belong in its commit message and bench/results. Reads the comments of every tracked source, script, project
# and YAML file (// and /* */ in C#, JS and TS; # in shell, Python, YAML and Dockerfiles; <!-- --> in MSBuild files)
# and reports each comment line that matches a rule below, once the allowed phrases are taken out of it.
#   usage: scripts/check-comments.sh          check the repository (exit 1 on a finding)
#          scripts/check-comments.sh --all    print every comment line it reads (to tune the rules)
set -euo pipefail
cd "$(dirname "$0")/.."

read -r -d '' program <<'PERL' || true
use strict; use warnings;
binmode STDOUT, ":encoding(UTF-8)";

# What a comment must not carry: [rule, files it does not apply to (or undef)].
my @rules = (
  # A figure with a unit of time or size, a share, a ratio, a before-and-after, a rate.
  [qr/(?<![\w.])[0-9][0-9,.]*[ -]?(?:ns|us|µs|ms|KB|KiB|MB|MiB|GB|GiB)\b/, undef],
  [qr/(?<![\w.])[0-9][0-9,.]* ?%/, undef],
  [qr/(?<![\w.])[0-9][0-9.]*x (?:faster|slower|more|less|fewer|cheaper|dearer)\b/i, undef],
  [qr/[0-9] ?(?:->|→) ?[0-9]/, undef],
  [qr/(?<![\w.])[0-9][0-9,.]* ?(?:connects|sign-ins|calls|deliveries|requests)\/s\b/, undef],
  [qr/\b(?:a|one) (?:fifth|quarter|third|tenth) of (?:its|the) (?:CPU|samples|time)\b/i, undef],
  # Words of an experiment or of history. The load generator measures by design.
  [qr/\bmeasured\b/i, qr{^bench/}],
  [qr/\b(?:profiled at|in (?:a|one|the) profile)\b/i, undef],
  [qr/\b(?:used to|previously|formerly|until recently|before this (?:change|commit)|the old (?:code|way|version))\b/i, undef],
  [qr/\bwas the (?:largest|biggest|main|dearest|slowest)\b/i, undef],
);

# Phrases taken out of a comment before the rules are applied: limits and defaults that are part of the contract.
my @allow = (
  qr/\b(?:is|are|be|been|being|gets?|got) used to\b/i,     # the passive voice ("the key is used to seal"), not history
  qr/\(default [0-9][0-9,]* ?ms\)/,                         # the browser client's documented option defaults
  qr/\b256 KiB\b/,                                          # the reply budget (docs/protocol.md section 9)
  qr/\b1 MiB\b/,                                            # Sockets:SendQueueBytes, its documented default
  qr/\b64 KiB\b/,                                           # Sockets:MaxFrameBytes, its documented default
  qr/\babout 3 % precision\b/,                              # the latency histogram's resolution, by construction
);

sub style {
  my ($f) = @_;
  return "c" if $f =~ /\.(?:cs|js|mjs|ts)$/;
  return "xml" if $f =~ /\.(?:csproj|props|targets)$/;
  return "hash";
}

# The text after the first marker that is not inside a string literal on that line.
sub after_marker {
  my ($line, $marker) = @_;
  my ($dq, $sq, $bq) = (0, 0, 0);
  for (my $i = 0; $i < length $line; $i++) {
    my $c = substr($line, $i, 1);
    if ($c eq "\\") { $i++; next; }
    if ($c eq q{"} && !$sq && !$bq) { $dq = !$dq; next; }
    if ($c eq q{`} && !$sq && !$dq) { $bq = !$bq; next; }
    if ($c eq chr(39) && !$dq && !$bq && $marker eq "#") { $sq = !$sq; next; }
    next if $dq || $sq || $bq;
    next unless substr($line, $i, length $marker) eq $marker;
    next if $marker eq "#" && $i > 0 && substr($line, $i - 1, 1) !~ /\s/;
    next if $marker eq "//" && $i > 0 && substr($line, $i - 1, 1) eq ":";
    return substr($line, $i + length $marker);
  }
  return undef;
}

my $all = $ENV{MODE} eq "--all";
my $found = 0;
while (my $file = <STDIN>) {
  chomp $file;
  open my $fh, "<:encoding(UTF-8)", $file or next;
  my $style = style($file);
  my $block = 0;
  while (my $line = <$fh>) {
    chomp $line;
    my @comments;
    if ($style eq "c" || $style eq "xml") {
      my ($open, $close) = $style eq "c" ? (qr{/\*}, qr{\*/}) : (qr{<!--}, qr{-->});
      if ($block) {
        if ($line =~ $close) { push @comments, $`; $block = 0; } else { push @comments, $line; }
      } elsif ($style eq "c" ? $line =~ /^\s*$open/ : $line =~ $open) {
        my $rest = $';
        if ($rest =~ $close) { push @comments, $`; } else { push @comments, $rest; $block = 1; }
      } elsif ($style eq "c") {
        my $c = after_marker($line, "//");
        push @comments, $c if defined $c;
      }
    } else {
      next if $. == 1 && $line =~ /^#!/;
      my $c = after_marker($line, "#");
      push @comments, $c if defined $c && $line !~ /\$\{?#/;
    }
    for my $c (@comments) {
      next unless $c =~ /\S/;
      if ($all) { print "$file:$.: $c\n"; next; }
      my $text = $c;
      $text =~ s/$_//g for @allow;
      next unless grep { $text =~ $_->[0] && !(defined $_->[1] && $file =~ $_->[1]) } @rules;
      print "$file:$.: $c\n";
      $found++;
    }
  }
  close $fh;
}
exit 0 if $all;
if ($found) {
  print STDERR "check-comments: $found comment line(s) carry a measurement or history: say why, in the present tense (figures go in the commit message)\n";
  exit 1;
}
print "check-comments: no code comment carries a measurement or history\n";

PERL

git ls-files -z -- '*.cs' '*.js' '*.mjs' '*.ts' '*.sh' '*.py' '*.yml' '*.yaml' '*.csproj' '*.props' '*.targets' \
    '.ci/run' 'Dockerfile' '**/Dockerfile' \
  | perl -0 -ne 'chomp; print "$_\n" unless m{(^|/)(bin|obj|node_modules)/}' \
  | MODE="${1:-check}" perl -e "$program"
