/* supervisor/backoff.c — how long to wait before a restart.
 *
 * Exponential: restart_delay, doubling per restart in a row, capped at
 * restart_delay_max. A service that stayed RUNNING for backoff_window()
 * is forgiven: the next restart waits restart_delay again and its failure
 * count starts over. The window is restart_delay_max (at least 1 s, s6's
 * throttle): a service that dies faster than the longest delay we would
 * impose is still crash-looping. */
#include "supervisor/svc_int.h"

double backoff_delay(const struct svc_spec *spec, unsigned quick)
{
        double d = (double)spec->restart_delay / 1000.0;
        double max = (double)spec->restart_delay_max / 1000.0;

        if (max < d)
                max = d;
        for (unsigned i = 1; i < quick && d < max; i++)
                d *= 2;
        return d < max ? d : max;
}

double backoff_window(const struct svc_spec *spec)
{
        double w = (double)spec->restart_delay_max / 1000.0;

        return w < 1.0 ? 1.0 : w;
}
