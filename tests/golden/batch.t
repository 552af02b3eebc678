# Batch mode: one output line per expression line, in order (SPEC 6).

$ mcd
< A B
< (
< x^T x
| A B
|
| x^T x
! mcd: 2:2: error: unexpected end of input, expected an operand
!   (
!    ^
! mcd: 2:1: note: '(' opened here is not closed
!   (
!   ^
? 1

# blank lines and comments are skipped and give no output line
$ mcd --shapes
< # a comment
<
< a^T W b
<    # indented comment
< (y - w^T x)^2
| a: m x 1, W: m x n, b: n x 1, result: 1 x 1
| y: 1 x 1, w: m x 1, x: m x 1, result: 1 x 1

# CRLF line ends are accepted
$ mcd
< (A B)^T\r
< x^T\r
| B^T A^T
| x^T

# a NUL byte loses only its line
$ mcd
< x\0y
< y
|
| y
! mcd: 1:2: error: unexpected NUL byte
!   x?y
!    ^
? 1

# every line is independent: names do not carry over
$ mcd --shapes
< A x
< x^T A
| A: m x n, x: n x 1, result: m x 1
| x: m x 1, A: m x n, result: 1 x n
