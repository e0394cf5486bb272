#!/usr/bin/env python3
"""Reference values of BG/NBD scores for test/sql/bgnbd.sql.

Computed independently of the C code: the textbook formulas of Fader, Hardie
and Lee (2005), equations 8 and 10, in 60-digit decimal arithmetic, with the
Gauss hypergeometric series 2F1(r + x, b + x; a + b + x - 1; z) summed
directly, untransformed, until its terms vanish.  (In double precision that
series overflows for large x and the subtraction 1 - (...) 2F1 loses every
digit; with 60 digits and an unbounded exponent neither happens.)

Run: python3 test/data/bgnbd_reference.py   (about 15 seconds)
"""
from decimal import Decimal as D, getcontext

getcontext().prec = 60
getcontext().Emax = 10**9
getcontext().Emin = -10**9


def hyp2f1(a, b, c, z):
    total = term = D(1)
    k = 0
    while True:
        term *= (a + k) * (b + k) / ((c + k) * (k + 1)) * z
        total += term
        k += 1
        # past the largest term, stop once the terms are negligible
        if (a + k) * (b + k) * z < (c + k) * (k + 1) and abs(term) < abs(total) * D(10) ** -58:
            return total


def p_alive(x, tx, T, r, alpha, a, b):
    if x == 0:
        return D(1)
    odds = a / (b + x - 1) * ((alpha + T) / (alpha + tx)) ** (r + x)
    return 1 / (1 + odds)


def expected(t, x, tx, T, r, alpha, a, b):
    z = t / (alpha + T + t)
    f = hyp2f1(r + x, b + x, a + b + x - 1, z)
    inner = 1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * f
    return (a + b + x - 1) / (a - 1) * inner * p_alive(x, tx, T, r, alpha, a, b)


CDNOW = (D('0.243'), D('4.414'), D('0.793'), D('2.426'))
# a = 1 makes the textbook formula 0/0; 1 + 1e-30 is within 1e-29 of its limit
A_ONE = (D('0.5'), D('3'), 1 + D(10) ** -30, D('2'))

CASES = [
    ('cdnow', 39, 2, '30.43', '38.86', CDNOW),
    ('large x', 39, 10000, '38.85', '38.86', CDNOW),
    ('large x, long', 1000, 10000, '38.85', '38.86', CDNOW),
    ('large x, dead', 1000, 10000, '38', '38.86', CDNOW),
    ('long', 10000, 1, '20', '38', CDNOW),
    ('very long', 1000000, 1, '20', '38', CDNOW),
    ('new, x = 0', 1000, 0, '0', '0.000000001', CDNOW),
    ('a = 1', 39, 3, '5', '10', A_ONE),
]

for name, t, x, tx, T, params in CASES:
    args = (D(x), D(tx), D(T)) + params
    print('%-16s p_alive(%d, %s, %s) = %s' % (name, x, tx, T, format(p_alive(*args), '.17g')))
    print('%-16s expected_purchases(%d, ...) = %s' % ('', t, format(expected(D(t), *args), '.17g')))
