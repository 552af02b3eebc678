# --shapes: inference by unification (SPEC 2).

$ mcd --shapes "a^T W b"
| a: m x 1, W: m x n, b: n x 1, result: 1 x 1

$ mcd --shapes "(y - w^T x)^2"
| y: 1 x 1, w: m x 1, x: m x 1, result: 1 x 1

$ mcd --shapes "t B"
| t: 1 x 1, B: m x n, result: m x n

$ mcd --shapes "exp(t) a"
| t: 1 x 1, a: m x 1, result: m x 1

$ mcd --shapes "(a^T x) b"
| a: m x 1, x: m x 1, b: n x 1, result: n x 1

$ mcd --shapes "a b + W a"
| a: m x 1, b: 1 x 1, W: m x m, result: m x 1

$ mcd --shapes "kron(A, B) + C"
| A: m x n, B: p x q, C: mp x nq, result: mp x nq

$ mcd --shapes "vec(A)^T vec(A)"
| A: m x n, result: 1 x 1

$ mcd -d 'A:matrix(n,n)' --shapes "A + B"
| A: n x n, B: n x n, result: n x n

$ mcd -d 'A:matrix(n,k)' --shapes "A B C"
| A: n x k, B: k x m, C: m x p, result: n x p

$ mcd -d z:vector --shapes "x^T x"
| x: m x 1, z: n x 1, result: 1 x 1
