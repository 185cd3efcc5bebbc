/* The CMOS real-time clock: the time of day at boot, for the kernel info page. */
#include <stdint.h>
#include "cpu.h"
#include "rtc.h"

enum { CMOS_INDEX = 0x70, CMOS_DATA = 0x71, RTC_UPDATING = 0x80, RTC_BINARY = 0x04, RTC_24H = 0x02 };

static uint8_t cmos(uint8_t reg)
{
	outb(CMOS_INDEX, reg);
	return inb(CMOS_DATA);
}

static unsigned from_bcd(uint8_t v, bool binary) { return binary ? v : (v & 0xf) + (v >> 4) * 10u; }

/* Days from 1970-01-01 to the given date (proleptic Gregorian). */
static int64_t days_since_epoch(int64_t y, unsigned m, unsigned d)
{
	/* shift the year to start in March, so that February is last */
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

uint64_t rtc_read_unix_time(void)
{
	/* wait for an update to finish, then read until two reads agree */
	uint8_t s, mi, h, d, mo, y, s2, mi2, h2, d2, mo2, y2;
	unsigned tries = 0;
	do {
		while ((cmos(0x0a) & RTC_UPDATING) && ++tries < 1000000)
			cpu_relax();
		s = cmos(0x00), mi = cmos(0x02), h = cmos(0x04), d = cmos(0x07), mo = cmos(0x08), y = cmos(0x09);
		s2 = cmos(0x00), mi2 = cmos(0x02), h2 = cmos(0x04), d2 = cmos(0x07), mo2 = cmos(0x08), y2 = cmos(0x09);
	} while ((s != s2 || mi != mi2 || h != h2 || d != d2 || mo != mo2 || y != y2) && ++tries < 1000000);
	uint8_t b = cmos(0x0b);
	bool binary = b & RTC_BINARY;
	bool pm = !(b & RTC_24H) && (h & 0x80);
	unsigned hour = from_bcd(h & 0x7f, binary);
	if (!(b & RTC_24H))
		hour = hour % 12 + (pm ? 12 : 0);
	unsigned year = 2000 + from_bcd(y, binary); /* the century register is not standard */
	unsigned month = from_bcd(mo, binary), day = from_bcd(d, binary);
	if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23)
		return 0; /* no sensible clock: say so with 0 */
	int64_t days = days_since_epoch(year, month, day);
	return (uint64_t)(days * 86400 + hour * 3600 + from_bcd(mi, binary) * 60 + from_bcd(s, binary));
}
