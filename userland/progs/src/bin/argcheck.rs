//! Helper: checks that argv and the environment arrived exactly as sent.
//!
//! Expects argv `[/bin/argcheck, ARGCHECK_ARGS...]` and the environment
//! `ARGCHECK_ENV` (both in `shim_progs::testing`); exits 0 when they match,
//! otherwise prints the first difference and exits with `FAILURE_STATUS`.
#![no_std]
#![no_main]
#![forbid(unsafe_code)]

use shim_progs::paths::ARGCHECK;
use shim_progs::testing::{ARGCHECK_ARGS, ARGCHECK_ENV};
use shim_progs::{check_eq, fail};
use shim_rt::Args;

shim_rt::entry!(main);

fn main(args: Args) -> i32 {
    check_eq!("argc", args.len(), ARGCHECK_ARGS.len() + 1);
    check_eq!("argv[0]", args.get(0), Some(ARGCHECK));
    for (index, expected) in ARGCHECK_ARGS.iter().enumerate() {
        check_eq!("argv entry", args.get(index + 1), Some(*expected));
    }
    check_eq!("argv past the end", args.get(args.len()), None);
    check_eq!("argv iterator length", args.iter().count(), args.len());

    let mut env = args.env();
    for expected in ARGCHECK_ENV {
        check_eq!("environment entry", env.next(), Some(*expected));
    }
    if let Some(extra) = env.next() {
        fail!("unexpected environment entry {extra:?}");
    }
    check_eq!("var SHIM_TEST", args.var(b"SHIM_TEST"), Some(&b"1"[..]));
    check_eq!("var EMPTY", args.var(b"EMPTY"), Some(&b""[..]));
    check_eq!("var SHIM", args.var(b"SHIM"), None);
    0
}
