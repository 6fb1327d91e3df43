# tests/integration/docs.sh — the man pages render cleanly and say true things.

# man --warnings: groff's complaints (bad macros, lines it cannot fit) are
# bugs in the page. Needs man-db and groff-base (tests/run.sh installs them).
test_man_pages_render_without_warnings() {
        local page w
        for page in "$SUP_ROOT"/docs/*.[1-8]; do
                w=$(MANWIDTH=80 man --warnings -E UTF-8 -l "$page" 2>&1 >/dev/null)
                [ -z "$w" ] || fail "$(basename "$page"): $w"
                MANWIDTH=80 man -E UTF-8 -l "$page" >/dev/null 2>&1 || fail "$(basename "$page") does not render"
        done
}

# supctl.8's `status --json` example is JSON, and every field it shows is
# one a real supd sends.
test_supctl_man_json_example_parses() {
        MANWIDTH=400 man -E UTF-8 -l "$SUP_ROOT/docs/supctl.8" 2>/dev/null >page.txt
        printf '[supd]\nsocket = %s\n\n[service:web]\ncommand = sleep 1000\n' "$T/supd.sock" >sup.ini
        run_pid1 -c sup.ini >out 2>&1
        wait_for 20 "$SUPCTL" -s "$T/supd.sock" status web >/dev/null 2>&1 || fail "web not up: $(cat out)"
        "$SUPCTL" -s "$T/supd.sock" status --json >real.json || fail "status --json failed"
        python3 - page.txt real.json <<'PY' || fail "see above; the page says: $(grep -A3 '{"services"' page.txt)"
import json, sys
lines = open(sys.argv[1]).read().splitlines()
start = next(i for i, l in enumerate(lines) if l.strip().startswith('{"services"'))
text = ""
for l in lines[start:]:
    text += l.strip() + "\n"
    if l.strip().endswith("]}"):
        break
doc = json.loads(text)
real = json.load(open(sys.argv[2]))
missing = set(doc["services"][0]) - set(real["services"][0])
assert not missing, "fields the page shows but supd does not send: %s" % sorted(missing)
errs = [l[i:] for l in lines for i in range(len(l)) if l.startswith('{"error"', i)]
assert len(errs) >= 2, errs      # supd's and supctl's own
for e in errs:
    json.JSONDecoder().raw_decode(e)
PY
        "$SUPCTL" -s "$T/supd.sock" shutdown >/dev/null 2>&1
        expect_exit 0 30
}

# The EXIT STATUS section lists the codes in order.
test_supctl_man_exit_codes_in_order() {
        MANWIDTH=80 man -E UTF-8 -l "$SUP_ROOT/docs/supctl.8" 2>/dev/null |
                sed -n '/^EXIT STATUS/,/^FILES/p' | awk '/^ +[0-9]+ / { print $1 }' >codes
        [ "$(tr '\n' ' ' <codes)" = "0 1 2 3 4 " ] || fail "codes: $(tr '\n' ' ' <codes)"
}

# make install puts in place what the installed examples need (demo.ini
# runs sd_notify) and the docs, man pages included (supd.ini(5)).
test_install_has_what_the_examples_need_and_the_docs() {
        make -s -C "$SUP_ROOT" install DESTDIR="$T/inst" PREFIX=/usr >make.out 2>&1 || fail "$(cat make.out)"
        local f
        for f in usr/sbin/supd usr/bin/supctl usr/bin/suprun usr/bin/sd_notify \
                 usr/share/man/man5/supd.ini.5 usr/share/man/man8/supctl.8 usr/share/man/man8/supd.8 \
                 usr/share/man/man1/suprun.1 usr/share/doc/sup/config.m\d usr/share/doc/sup/README.m\d \
                 usr/share/doc/sup/examples/demo.ini; do
                [ -e "$T/inst/$f" ] || fail "not installed: $f"
        done
        # every program demo.ini runs by name is installed or on any system
        grep -q 'sd_notify' "$T/inst/usr/share/doc/sup/examples/demo.ini" || fail "demo.ini no longer uses sd_notify?"
        # every page of ours that a page names (SEE ALSO) is installed
        for f in $(grep -ho '^\.BR sup[a-z.]* ([158])' "$SUP_ROOT"/docs/*.[158] | awk '{print $2 "." substr($3, 2, 1)}' | sort -u); do
                ls "$T"/inst/usr/share/man/man*/"$f" >/dev/null 2>&1 || fail "SEE ALSO names $f, not installed"
        done
}
