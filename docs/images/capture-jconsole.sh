#!/usr/bin/env bash
# Retakes the JConsole screenshots in this folder: OperatorDemo with traffic in one JVM, JConsole
# on a virtual X display, clicks by xdotool, pictures by ImageMagick's import. Run from the
# repository root after `./mvnw -B -ntp -pl pool-jmx -am verify -DskipTests`.
#
# Needs: Xvfb, xdotool, imagemagick (Debian: apt-get install -y xvfb xdotool imagemagick) and a
# JDK 21+ with jconsole (JDK below, or set JDK=...). The clicks are screen coordinates for a
# 1280x860 display and JConsole's default look; if a JDK moves things, look at the PNGs and
# adjust them.
set -euo pipefail

JDK=${JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}
H2_JAR=${H2_JAR:-$(ls ~/.m2/repository/com/h2database/h2/*/h2-*.jar | tail -1)}
OUT=docs/images
PORT=${PORT:-9010}
DISPLAY_NUMBER=${DISPLAY_NUMBER:-:99}
CP=pool-jmx/target/test-classes:pool-jmx/target/classes:pool-core/target/classes:pool-jdbc/target/classes:$H2_JAR

pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

Xvfb "$DISPLAY_NUMBER" -screen 0 1280x860x24 -nolisten tcp & pids+=($!)
export DISPLAY=$DISPLAY_NUMBER
sleep 2

# The demo stops when its standard input ends: give it a FIFO held open (read-write) instead,
# so nothing but the trap below has to be stopped.
fifo=$(mktemp -u); mkfifo "$fifo"; exec 3<>"$fifo"; rm "$fifo"
"$JDK/bin/java" -Xmx128m -XX:+UseSerialGC \
    -Dcom.sun.management.jmxremote.port="$PORT" -Dcom.sun.management.jmxremote.rmi.port="$PORT" \
    -Dcom.sun.management.jmxremote.authenticate=false -Dcom.sun.management.jmxremote.ssl=false \
    -Dcom.sun.management.jmxremote.host=127.0.0.1 -Djava.rmi.server.hostname=127.0.0.1 \
    -cp "$CP" dev.tidepool.jmx.OperatorDemo --traffic <&3 > /tmp/operator-demo.log 2>&1 & pids+=($!)
sleep 4
demo=$("$JDK/bin/jps" -l | awk '/OperatorDemo/ {print $1}' | head -1)

shot() { sleep "${2:-2}"; import -window root "$OUT/$1"; }
click() { xdotool mousemove "$1" "$2" click 1; sleep "${3:-1.5}"; }
park() { xdotool mousemove 600 700; }

# ---- a local process, by pid, as an operator on the same machine attaches
"$JDK/bin/jconsole" -J-Xmx256m "$demo" & pids+=($!)
sleep 12
window=$(xdotool search --name "Java Monitoring" | head -1)
xdotool windowmove "$window" 0 0 windowsize "$window" 1280 860
shot jconsole-insecure-prompt.png 2
click 363 202 8             # "Insecure connection"
click 472 58 3              # the MBeans tab
xdotool mousemove 169 400 mousedown 1 mousemove 250 400 mousemove 320 400 mouseup 1   # widen the tree
click 16 117                # dev.tidepool: DataSource, GreenPool, ResourcePool
click 36 171                # ResourcePool
click 56 188                # ops
click 117 203 2.5           # Attributes
click 1025 212 0.5          # MaxSize's value, edited in place: 4 -> 6
xdotool key ctrl+a; xdotool type 6; xdotool key Return
sleep 1
click 798 834               # Refresh
park; shot jconsole-resourcepool.png 2
click 1025 212 0.5          # a value the pool refuses
xdotool key ctrl+a; xdotool type -- -1; xdotool key Return
shot jconsole-bad-value.png 2
click 798 232               # OK
click 36 135                # DataSource
click 56 152                # db
click 117 167 2.5           # Attributes
park; shot jconsole-datasource.png 1
click 121 182 2             # Operations
park; shot jconsole-datasource-operations.png 1

# ---- notifications: shrink ops under the traffic so borrowers time out, then subscribe
"$JDK/bin/java" -cp pool-jmx/target/test-classes dev.tidepool.jmx.JmxClient "127.0.0.1:$PORT" \
    set 'dev.tidepool:type=ResourcePool,name=ops' MaxSize 2
click 125 294 2             # ops' Notifications (below the expanded db)
click 697 834 9             # Subscribe, then let a few seconds of notifications come in
xdotool mousemove 950 132; sleep 0.3; xdotool mousemove 951 133   # a message's tooltip
shot jconsole-notifications.png 2.5
echo "took $OUT/jconsole-*.png; look at each before committing"
