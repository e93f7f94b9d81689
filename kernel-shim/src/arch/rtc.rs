//! The CMOS real-time clock: the wall-clock time at boot.
//!
//! The clock keeps the date and time in six registers, in BCD or binary and
//! in 12- or 24-hour form as status register B says, and updates them once
//! a second; status register A's top bit is set while an update is under
//! way. [`read`] waits for no update, reads all six, and repeats until two
//! readings agree. The decoding and the calendar arithmetic are pure and
//! host-tested.
//!
//! Written here rather than taken from a crate: the CMOS crates on
//! crates.io (`x86_rtc`, `cmos-rtc`, `cmos`) pull in the `x86_64` crate
//! with its default features, which need a nightly compiler.

/// Status B: hours run 0-23 (else 1-12 with [`HOUR_PM`]).
const HOURS_24: u8 = 0x02;
/// Status B: registers hold binary values (else BCD).
const BINARY: u8 = 0x04;
/// In 12-hour form, the hours register's top bit means PM.
const HOUR_PM: u8 = 0x80;
/// The two-digit CMOS year counts from here (no century register is
/// assumed: QEMU's is not at a fixed place on every machine).
const CENTURY_BASE: i64 = 2000;

const SECONDS_PER_MINUTE: i64 = 60;
const SECONDS_PER_HOUR: i64 = 3600;
const SECONDS_PER_DAY: i64 = 86_400;

/// The six date and time registers as read, undecoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RawTime {
    /// Seconds register.
    pub seconds: u8,
    /// Minutes register.
    pub minutes: u8,
    /// Hours register (with the PM bit in 12-hour form).
    pub hours: u8,
    /// Day-of-month register.
    pub day: u8,
    /// Month register.
    pub month: u8,
    /// Two-digit year register.
    pub year: u8,
}

fn from_bcd(value: u8) -> u8 {
    (value >> 4) * 10 + (value & 0x0f)
}

/// Days from 1970-01-01 to `year`-`month`-`day` (proleptic Gregorian).
pub fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    // Count years from March, so the leap day ends a year.
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    /// Days from 0000-03-01 to 1970-01-01.
    const EPOCH_DAY: i64 = 719_468;
    era * 146_097 + day_of_era - EPOCH_DAY
}

/// Seconds since the Epoch for `raw` read with status register B
/// `status_b`, or `None` if a field is out of range.
pub fn unix_seconds(raw: RawTime, status_b: u8) -> Option<u64> {
    let decode = |value: u8| {
        if status_b & BINARY != 0 {
            value
        } else {
            from_bcd(value)
        }
    };
    let pm = status_b & HOURS_24 == 0 && raw.hours & HOUR_PM != 0;
    let mut hours = decode(raw.hours & !HOUR_PM);
    if status_b & HOURS_24 == 0 {
        if !(1..=12).contains(&hours) {
            return None;
        }
        // 12 AM is 0 h, 12 PM is 12 h.
        hours = hours % 12 + if pm { 12 } else { 0 };
    }
    let (seconds, minutes) = (decode(raw.seconds), decode(raw.minutes));
    let (day, month, year) = (decode(raw.day), decode(raw.month), decode(raw.year));
    let valid = seconds < 60
        && minutes < 60
        && hours < 24
        && (1..=31).contains(&day)
        && (1..=12).contains(&month)
        && year < 100;
    if !valid {
        return None;
    }
    let days = days_from_civil(CENTURY_BASE + i64::from(year), month.into(), day.into());
    let total = days * SECONDS_PER_DAY
        + i64::from(hours) * SECONDS_PER_HOUR
        + i64::from(minutes) * SECONDS_PER_MINUTE
        + i64::from(seconds);
    u64::try_from(total).ok()
}

/// The clock's ports and registers, which the host tests do not reach.
#[cfg(not(test))]
mod hardware {
    use super::RawTime;
    use crate::arch::time;
    use x86_64::instructions::port::Port;

    const INDEX_PORT: u16 = 0x70;
    const DATA_PORT: u16 = 0x71;
    /// Register numbers.
    mod register {
        pub const SECONDS: u8 = 0x00;
        pub const MINUTES: u8 = 0x02;
        pub const HOURS: u8 = 0x04;
        pub const DAY_OF_MONTH: u8 = 0x07;
        pub const MONTH: u8 = 0x08;
        pub const YEAR: u8 = 0x09;
        pub const STATUS_A: u8 = 0x0a;
        pub const STATUS_B: u8 = 0x0b;
    }

    /// Status A: the clock is updating its registers.
    const UPDATE_IN_PROGRESS: u8 = 0x80;
    /// What a read of a port that no device decodes gives.
    const NO_DEVICE: u8 = 0xff;
    /// How long [`super::read`] tries for two readings that agree: an update takes
    /// at most about 2 ms, and one starts once a second.
    const READ_TIMEOUT_NS: u64 = 20_000_000;

    fn read_register(number: u8) -> u8 {
        // SAFETY: the CMOS index and data ports: selecting and reading a
        // clock register has no effect on memory. (Index bit 7 clear keeps
        // NMIs enabled, as they are.)
        unsafe {
            Port::new(INDEX_PORT).write(number);
            Port::new(DATA_PORT).read()
        }
    }

    fn read_time() -> Option<RawTime> {
        if read_register(register::STATUS_A) & UPDATE_IN_PROGRESS != 0 {
            return None;
        }
        Some(RawTime {
            seconds: read_register(register::SECONDS),
            minutes: read_register(register::MINUTES),
            hours: read_register(register::HOURS),
            day: read_register(register::DAY_OF_MONTH),
            month: read_register(register::MONTH),
            year: read_register(register::YEAR),
        })
    }

    /// The registers and status B, once two readings outside an update
    /// agree; `None` without a clock or if none agree in time. Needs the
    /// monotonic clock ([`time::init`]) running.
    pub fn read_raw() -> Option<(RawTime, u8)> {
        if read_register(register::STATUS_A) == NO_DEVICE {
            return None;
        }
        let deadline = time::now_ns() + READ_TIMEOUT_NS;
        let mut previous = None;
        while time::now_ns() < deadline {
            let current = read_time();
            if current.is_some() && current == previous {
                return current.map(|raw| (raw, read_register(register::STATUS_B)));
            }
            previous = current;
            core::hint::spin_loop();
        }
        None
    }
}

/// The wall-clock time in seconds since the Epoch, if the machine has a
/// real-time clock that reads consistently.
#[cfg(not(test))]
pub fn read() -> Option<u64> {
    let (raw, status_b) = hardware::read_raw()?;
    unix_seconds(raw, status_b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(year: u8, month: u8, day: u8, hours: u8, minutes: u8, seconds: u8) -> RawTime {
        RawTime {
            seconds,
            minutes,
            hours,
            day,
            month,
            year,
        }
    }

    #[test]
    fn days_from_civil_matches_known_dates() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(2000, 2, 29), 11_016);
        assert_eq!(
            days_from_civil(2100, 3, 1) - days_from_civil(2100, 2, 28),
            1
        );
        assert_eq!(days_from_civil(2026, 11, 23), 20_780);
    }

    #[test]
    fn binary_24_hour_registers_give_seconds_since_the_epoch() {
        // 2026-11-23 07:21:05 UTC.
        let time = raw(26, 11, 23, 7, 21, 5);
        assert_eq!(unix_seconds(time, BINARY | HOURS_24), Some(1_795_418_465));
    }

    #[test]
    fn bcd_and_12_hour_forms_decode_to_the_same_time() {
        let bcd_24 = raw(0x26, 0x11, 0x23, 0x19, 0x21, 0x05);
        let bcd_12_pm = raw(0x26, 0x11, 0x23, 0x07 | HOUR_PM, 0x21, 0x05);
        let binary_24 = raw(26, 11, 23, 19, 21, 5);
        let expected = unix_seconds(binary_24, BINARY | HOURS_24);
        assert!(expected.is_some());
        assert_eq!(unix_seconds(bcd_24, HOURS_24), expected);
        assert_eq!(unix_seconds(bcd_12_pm, 0), expected);
    }

    #[test]
    fn twelve_am_is_midnight_and_twelve_pm_is_noon() {
        let midnight = unix_seconds(raw(26, 1, 1, 12, 0, 0), BINARY).unwrap();
        let noon = unix_seconds(raw(26, 1, 1, 12 | HOUR_PM, 0, 0), BINARY).unwrap();
        assert_eq!(midnight % SECONDS_PER_DAY as u64, 0);
        assert_eq!(noon - midnight, 12 * SECONDS_PER_HOUR as u64);
    }

    #[test]
    fn out_of_range_fields_are_rejected() {
        let all_ones = raw(0xff, 0xff, 0xff, 0xff, 0xff, 0xff);
        assert_eq!(unix_seconds(all_ones, 0), None);
        assert_eq!(unix_seconds(all_ones, BINARY | HOURS_24), None);
        assert_eq!(
            unix_seconds(raw(26, 13, 1, 0, 0, 0), BINARY | HOURS_24),
            None
        );
        assert_eq!(
            unix_seconds(raw(26, 1, 0, 0, 0, 0), BINARY | HOURS_24),
            None
        );
        assert_eq!(
            unix_seconds(raw(26, 1, 1, 24, 0, 0), BINARY | HOURS_24),
            None
        );
        assert_eq!(
            unix_seconds(raw(26, 1, 1, 0, 0, 0), BINARY),
            None,
            "hour 0 in 12-hour form"
        );
    }
}
