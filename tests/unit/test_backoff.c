/* Restart delays: exponential from restart_delay, capped, and the reset window. */
#include "check.h"
#include "supervisor/svc_int.h"

static struct svc_spec sp;

TEST(doubles_from_restart_delay)
{
        sp.restart_delay = 100;
        sp.restart_delay_max = 30000;
        CHECK(backoff_delay(&sp, 0) == 0.1);
        CHECK(backoff_delay(&sp, 1) == 0.1);
        CHECK(backoff_delay(&sp, 2) == 0.2);
        CHECK(backoff_delay(&sp, 5) == 1.6);
}

TEST(capped_at_restart_delay_max)
{
        sp.restart_delay = 100;
        sp.restart_delay_max = 500;
        CHECK(backoff_delay(&sp, 3) == 0.4);
        CHECK(backoff_delay(&sp, 4) == 0.5);
        CHECK(backoff_delay(&sp, 1000000) == 0.5);
}

TEST(max_below_delay_means_fixed_delay)
{
        sp.restart_delay = 2000;
        sp.restart_delay_max = 100;
        CHECK(backoff_delay(&sp, 1) == 2.0);
        CHECK(backoff_delay(&sp, 9) == 2.0);
}

TEST(zero_delay_stays_zero)
{
        sp.restart_delay = 0;
        sp.restart_delay_max = 0;
        CHECK(backoff_delay(&sp, 7) == 0.0);
}

TEST(window_is_max_delay_at_least_one_second)
{
        sp.restart_delay_max = 30000;
        CHECK(backoff_window(&sp) == 30.0);
        sp.restart_delay_max = 200;
        CHECK(backoff_window(&sp) == 1.0);
}

int main(int argc, char **argv) { return check_main(argc, argv); }
