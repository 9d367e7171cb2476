#!/usr/bin/env bash
# t_services: `services:` and `exec:` of a node. Without vrfd, apply starts
# the services in the node and destroy stops them; under vrfd a service
# that ends is started again as its restart policy says (and said in the
# events), with its environment; `exec:` commands run once per namespace
# made; logs and status show them; a BIRD configuration error stops the
# apply before anything is made.
. "$(dirname "$0")/lib_daemon.sh"
export VRFD_STATE_DIR=$STATE

svc_pid() { cut -d' ' -f1 "/run/vrfd/svc/$1/$2.pid" 2>/dev/null; }
trap 'kill_services "sv-*/*.pid"; daemon_cleanup' EXIT

cat > "$T/lab.yaml" <<EOF
lab: sv
routers:
  a:
    interfaces: {eth0: {addresses: [10.0.0.1/24]}}
    exec:
      - echo made in \$(ip -o link show eth0 | cut -d' ' -f2 | cut -d@ -f1) >> $T/exec.out
    services:
      - {name: web, command: "exec python3 -m http.server 8080 --bind 10.0.0.1"}
      - name: flaky
        command: "echo \$GREETING; exit 3"
        restart: on-failure
        environment: {GREETING: hello from flaky}
      - {name: once, command: "echo done; exit 0", restart: on-failure}
  b:
    interfaces: {eth0: {addresses: [10.0.0.2/24]}}
links:
  - [a:eth0, b:eth0]
expect:
  - {from: b, to: 10.0.0.1, proto: tcp, port: 8080}
EOF

say "no daemon: apply starts the services inside the node, exec ran once"
"$VRFCTL" apply "$T/lab.yaml" > "$T/a.txt" || fail "apply: $(cat "$T/a.txt")"
p=$(svc_pid sv-a web)
[ -n "$p" ] && kill -0 "$p" || fail "web not running"
expect_eq "$(stat -L -c %i /proc/$p/ns/net)" "$(stat -L -c %i /run/netns/sv-a)" \
    "web's namespace"
expect_eq "$(cat "$T/exec.out")" "made in eth0" "exec: ran in the node, once"
wait_for 100 "$VRFCTL" verify "$T/lab.yaml" || fail "web does not answer"
"$VRFCTL" apply "$T/lab.yaml" > /dev/null
expect_eq "$(svc_pid sv-a web)" "$p" "a second apply restarts nothing"
expect_eq "$(wc -l < "$T/exec.out")" 1 "exec: not run again"
"$VRFCTL" -j status sv > "$T/st.json"
expect_eq "$(jq -r '.labs[0].namespaces[] | select(.node == "a") |
    .services[] | select(.name == "web") | .pid' "$T/st.json")" "$p" \
    "status: web's pid"
"$VRFCTL" logs -l sv a flaky > "$T/log.txt"
grep -qx "hello from flaky" "$T/log.txt" || fail "logs: $(cat "$T/log.txt")"
"$VRFCTL" destroy sv > /dev/null
! kill -0 "$p" 2>/dev/null || [[ "$(ps -o stat= -p "$p")" == Z* ]] ||
	fail "destroy left web running"

say "vrfd: restarts by policy, with backoff, and says so"
start_vrfd
# Following before the apply: once's end is said within a look (0.5 s)
# of its start.
"$VRFCTL" -s "$SOCK" events > "$T/ev.txt" 2>&1 &
BG_PIDS+=($!)
wait_for 100 grep -q "client pid $! follows events" "$T/vrfd.log" ||
	fail "vrfctl events not following: $(cat "$T/ev.txt")"
vctl apply "$T/lab.yaml" > "$T/a2.txt" || fail "apply: $(cat "$T/a2.txt")"
old=$(svc_pid sv-a web)
kill -KILL "$old"
wait_for 200 bash -c "p=\$(cut -d' ' -f1 /run/vrfd/svc/sv-a/web.pid) && \
    [ \"\$p\" != $old ] && kill -0 \$p" || fail "web not restarted"
wait_for 100 grep -q "sv-a (a) service: web killed by signal 9 (Killed); \
starting it again in 1 s" "$T/ev.txt" || fail "events: $(cat "$T/ev.txt")"
wait_for 100 grep -q "sv-a (a) service: web running again" "$T/ev.txt" ||
	fail "events: $(cat "$T/ev.txt")"
# flaky fails each time: started again, later each time
wait_for 200 bash -c "[ \$(grep -c 'flaky exited with status 3' $T/ev.txt) \
    -ge 2 ]" || fail "flaky: $(cat "$T/ev.txt")"
grep -q "flaky exited with status 3; starting it again in 2 s" "$T/ev.txt" ||
	fail "no backoff: $(cat "$T/ev.txt")"
[ "$(grep -c "hello from flaky" /run/vrfd/svc/sv-a/flaky.log)" -ge 2 ] ||
	fail "flaky's log: $(cat /run/vrfd/svc/sv-a/flaky.log)"
# once ended well: its policy keeps it down while the others restart
expect_eq "$(grep -c "once exited with status 0; not restarted" "$T/ev.txt")" \
    1 "once: not started again"
vctl verify "$T/lab.yaml" > /dev/null || fail "web does not answer after restart"

say "vrfd: a drift repaired in the node starts none of its services"
once=$(svc_pid sv-a once)
ip -n sv-a addr del 10.0.0.1/24 dev eth0
wait_for 100 grep -q "sv-a (a) repair: address 10.0.0.1/24" "$T/ev.txt" ||
	fail "no repair: $(cat "$T/ev.txt")"
expect_eq "$(svc_pid sv-a once)" "$once" "once, after a repair"
expect_eq "$(grep -c "once exited" "$T/ev.txt")" 1 "once's ends said"

say "vrfd restarted: a service that ended meanwhile starts with the lab"
stop_vrfd
old=$(svc_pid sv-a web)
kill -KILL "$old"
from=$(wc -l < "$T/vrfd.log")
start_vrfd
wait_for 100 bash -c "p=\$(cut -d' ' -f1 /run/vrfd/svc/sv-a/web.pid) && \
    [ \"\$p\" != $old ] && kill -0 \$p" || fail "web not started again"
# by the pass that converges the lab, not later by the supervisor
tail -n +"$((from + 1))" "$T/vrfd.log" | grep "web ended" &&
	fail "web was left to the supervisor"
vctl destroy sv > /dev/null
stop_vrfd

say "a BIRD configuration that BIRD refuses: nothing made"
[ -x /usr/sbin/bird ] || fail "BIRD is not installed (apt-get install bird2)"
cat > "$T/bird.yaml" <<'EOF'
lab: bb
routers:
  r:
    interfaces: {eth0: {addresses: [10.0.0.1/24]}}
    bird:
      text: |
        protocol device { }
        protocl kernel { }
  s:
    interfaces: {eth0: {addresses: [10.0.0.2/24]}}
links:
  - [r:eth0, s:eth0]
EOF
rc=0
"$VRFCTL" apply "$T/bird.yaml" > "$T/b.txt" 2>&1 || rc=$?
[ "$rc" -ne 0 ] || fail "applied"
grep -q "bird.yaml:6:7: error: routers.r.bird: BIRD config: .*syntax error" \
    "$T/b.txt" || fail "error: $(cat "$T/b.txt")"
[ -z "$(ls /run/netns)" ] || fail "made: $(ls /run/netns)"
echo ok
