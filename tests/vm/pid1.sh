# tests/vm/pid1.sh — sourced by /init as its last act: supd becomes the
# VM's real PID 1 (exec) with /vm/pid1.ini and /vm/pid1-main.sh as its main
# command (ENTRYPOINT ["supd", "-c", ..., "--"] style) and, when that ends,
# stops the services and exits with its code — which the kernel then reports in its
# "Attempted to kill init! exitcode=0x..." panic on the console, where
# tests/vm/run.sh checks it ("PID1 EXPECT" says what to look for).
pid1_checks="vm/pid1/test_supd_is_pid1 vm/pid1/test_orphans_reaped_by_pid1
vm/pid1/test_service_cgroup_under_the_root vm/pid1/test_exit_code_reaches_the_kernel"
case "$pid1_checks" in
*"$(cat /vm/pattern)"*)
        echo "PID1 EXPECT 42"
        exec /usr/sbin/supd -c /vm/pid1.ini -- /vm/pid1-main.sh 42 ;;
esac
