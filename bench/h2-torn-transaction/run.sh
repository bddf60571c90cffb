#!/bin/bash
# Reproduces H2's torn transaction after SIGKILL with plain JDBC (no hub code): 4 writers each lock a
# row, insert journal(k), pause, insert done(k), commit; the JVM is killed at a random moment, H2 is
# reopened, and journal rows without their done row are counted (exit code 3 = torn transaction).
# usage: bench/h2-torn-transaction/run.sh [h2-version] [iterations] [url-options]
# e.g.   bench/h2-torn-transaction/run.sh 2.3.232 200 ';WRITE_DELAY=0'
# Seen here: 2.3.232 with WRITE_DELAY=0, 4 torn in ~169 kills; 2.5.252, 1 in 49 (see README).
set -euo pipefail
ver=${1:-2.3.232}; n=${2:-100}; opts=${3:-;WRITE_DELAY=0}
here=$(cd "$(dirname "$0")" && pwd)
jar=~/.m2/repository/com/h2database/h2/$ver/h2-$ver.jar
[ -f "$jar" ] || mvn -q dependency:get -Dartifact=com.h2database:h2:$ver
work=$(mktemp -d); classes=$work/classes; mkdir -p "$classes"
javac -d "$classes" -cp "$jar" "$here/Repro.java"
url="jdbc:h2:file:$work/db/db$opts"; torn=0
for i in $(seq 1 "$n"); do
  rm -rf "$work/db"; mkdir -p "$work/db"
  java -Xmx256m -cp "$jar:$classes" Repro work "$url" 4 > "$work/work.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 200); do grep -q READY "$work/work.log" && break; sleep 0.05; done
  sleep 0.$((RANDOM % 9 + 1))
  kill -9 $pid; wait $pid 2>/dev/null || true
  rc=0; res=$(java -cp "$jar:$classes" Repro check "$url" 2>&1) || rc=$?
  if [ $rc -eq 3 ]; then torn=$((torn + 1)); cp -r "$work/db" "$work/evidence-$i"; echo "kill $i: TORN $res"; fi
done
echo "H2 $ver$opts: $torn torn transaction(s) in $n kills (evidence under $work)"
[ $torn -eq 0 ]
