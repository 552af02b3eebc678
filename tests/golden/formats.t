# Output formats (SPEC 5): unicode and LaTeX one line each, JSON one object
# per line (also for a failed line), python a module ending in `# ---`.
# tests/consumers.sh feeds the same formats to KaTeX, jq and numpy.

$ mcd -f unicode -wrt x "x^T A x"
| xᵀ (A + Aᵀ)

$ mcd -f unicode -wrt X "a^T X^-1 b"
| -X⁻¹ b aᵀ X⁻¹

$ mcd -f unicode -wrt x "norm(x - a)"
| (x - a)ᵀ / ‖x - a‖

$ mcd -f unicode -wrt A "A x"
| xᵀ ⊗ I_m

# different products as each other's operands are bracketed for the reader
# (the grammar would not need it: they are one level, left to right)
$ mcd -f unicode -wrt R "R^T R"
| (Rᵀ ⊗ I_n) K_{m,n} + I_n ⊗ Rᵀ

# a norm inside a norm is norm(...): there `‖` after an operand closes
$ mcd -f unicode "x^T x ||x|| + norm(x - norm(y) a)"
| ‖x‖ xᵀ x + ‖x - norm(y) a‖

$ mcd -f unicode "(x .* y) (z .* z)^T + X^-T + A^2"
| (x ⊙ y) (z.^2)ᵀ + X⁻ᵀ + A^2

$ mcd -f unicode "A B .* C ./ D"
| (C ⊙ (A B)) ./ D

# unicode output reads back as the same expression
$ mcd
< ‖x‖ xᵀ x + ‖x - norm(y) a‖
< (Rᵀ ⊗ I_n) K_{m,n} + I_n ⊗ Rᵀ
< (x ⊙ y) (z ⊙ z)ᵀ + X⁻ᵀ + A^2
| ||x|| x^T x + ||x - norm(y) a||
| kron(R^T, I_n) K_{m,n} + kron(I_n, R^T)
| x .* y (z.^2)^T + X^-T + A^2

$ mcd --format=latex -wrt W "a^T W b"
| \mathbf{b} \mathbf{a}^{\top}

$ mcd -f latex -wrt X "logdet(X) + tr(A X^-1)"
| \mathbf{X}^{-1} - \mathbf{X}^{-1} \mathbf{A} \mathbf{X}^{-1}

$ mcd -f latex -wrt x "norm(x - a)"
| \frac{\left(\mathbf{x} - \mathbf{a}\right)^{\top}}{\left\lVert \mathbf{x} - \mathbf{a} \right\rVert}

$ mcd -f latex -wrt R "R^T R"
| \left(\mathbf{R}^{\top} \otimes \mathbf{I}_{n}\right) \mathbf{K}_{m,n} + \mathbf{I}_{n} \otimes \mathbf{R}^{\top}

# names: scalars italic (Greek as \alpha), vectors and matrices bold,
# digits and what follows _ as a subscript
$ mcd -f latex "alpha x + beta_1 Sigma y + lambda2 W1 z_max"
| \beta_{1} \boldsymbol{\Sigma} \mathbf{y} + \lambda_{2} \mathbf{W}_{1} \mathbf{z}_{\mathrm{max}} + \alpha \mathbf{x}

# y is a scalar here (SPEC 2), so it is italic
$ mcd -f latex -wrt w "(y - w^T x)^2"
| 2 \left(\mathbf{w}^{\top} \mathbf{x} - y\right) \mathbf{x}^{\top}

$ mcd -f latex "norm(A) + norm(x) + 1/2"
| \frac{1}{2} + \left\lVert \mathbf{A} \right\rVert_F + \left\lVert \mathbf{x} \right\rVert

$ mcd -f latex "x .* y ./ z + x .^ alpha"
| \left(\mathbf{x} \odot \mathbf{y}\right) \oslash \mathbf{z} + \mathbf{x}^{\circ \alpha}

$ mcd -f latex "det(X) + sqrt(alpha) + abs(beta) + tr(A)^2"
| \sqrt{\alpha} + \operatorname{tr}\left(\mathbf{A}\right)^{2} + \det\left(\mathbf{X}\right) + \left\lvert \beta \right\rvert


$ mcd -f latex -d X:matrix -wrt X "a^T a"
| \mathbf{0}

$ mcd -f json -wrt W "a^T W b"
| {"input":"a^T W b","wrt":["W"],"layout":"numerator","hessian":false,"expression":"a^T W b","derivative":"b a^T","result":"b a^T","shape":["n","m"],"variables":{"a":["m","1"],"W":["m","n"],"b":["n","1"]},"latex":"\\mathbf{b} \\mathbf{a}^{\\top}","where":[]}

# no -wrt: derivative is null and result the expression
$ mcd -f json "(A B)^T"
| {"input":"(A B)^T","wrt":[],"layout":"numerator","hessian":false,"expression":"B^T A^T","derivative":null,"result":"B^T A^T","shape":["p","m"],"variables":{"A":["m","n"],"B":["n","p"]},"latex":"\\mathbf{B}^{\\top} \\mathbf{A}^{\\top}","where":[]}

$ mcd -f json -H -wrt x "x^T A x"
| {"input":"x^T A x","wrt":["x"],"layout":"numerator","hessian":true,"expression":"x^T A x","derivative":"A + A^T","result":"A + A^T","shape":["m","m"],"variables":{"x":["m","1"],"A":["m","m"]},"latex":"\\mathbf{A} + \\mathbf{A}^{\\top}","where":[]}

# a zero derivative keeps its shape (here that of the second step)
$ mcd -f json -d y:vector -wrt y -wrt x "a^T x"
| {"input":"a^T x","wrt":["y","x"],"layout":"numerator","hessian":false,"expression":"a^T x","derivative":"0","result":"0","shape":["n","m"],"variables":{"a":["m","1"],"x":["m","1"],"y":["n","1"]},"latex":"\\mathbf{0}","where":[]}

# JSON Lines: a failed line is an object with its position, on stdout;
# quotes, control characters and bad UTF-8 (as U+FFFD) still give valid JSON
$ mcd --format=json -wrt W
< a^T W b
< a^T W + b
< x\xff y
< "q\\\x01
| {"input":"a^T W b","wrt":["W"],"layout":"numerator","hessian":false,"expression":"a^T W b","derivative":"b a^T","result":"b a^T","shape":["n","m"],"variables":{"a":["m","1"],"W":["m","n"],"b":["n","1"]},"latex":"\\mathbf{b} \\mathbf{a}^{\\top}","where":[]}
| {"input":"a^T W + b","line":2,"column":7,"error":"cannot add 1 x n and p x 1 (W would need one column)"}
| {"input":"x� y","line":3,"column":2,"error":"invalid UTF-8 byte 0xff"}
| {"input":"\"q\\\u0001","line":4,"column":1,"error":"unexpected character '\"'"}
! mcd: 2:7: error: cannot add 1 x n and p x 1 (W would need one column)
!   a^T W + b
!   ~~~~~ ^ ~
! mcd: 3:2: error: invalid UTF-8 byte 0xff
!   x? y
!    ^
! mcd: 4:1: error: unexpected character '"'
!   "q\?
!   ^
? 1

# an error with no position has a null column
$ mcd -f json -wrt z "x^T x"
| {"input":"x^T x","line":1,"column":null,"error":"'z' does not occur in the expression (declare it with -d to get a zero derivative)"}
! mcd: 1: error: 'z' does not occur in the expression (declare it with -d to get a zero derivative)
? 1

# python: every module ends with the line `# ---`; a failed expression gives
# a comment and that line alone
$ mcd -f python
< (
| # mcd: 1: error: unexpected end of input, expected an operand
| # ---
! mcd: 1:2: error: unexpected end of input, expected an operand
!   (
!    ^
! mcd: 1:1: note: '(' opened here is not closed
!   (
!   ^
? 1

# softmax, logsumexp, softplus, sign and step in every format
$ mcd -wrt z "softmax(z)"
| diag(softmax(z)) - softmax(z) softmax(z)^T

$ mcd -f unicode -wrt x "logsumexp(A x) + sum(softplus(x)) + sign(x)^T x + step(x)^T x"
| softmax(A x)ᵀ A + sigmoid(x)ᵀ + sign(x)ᵀ + step(x)ᵀ

$ mcd -f latex "softmax(z) + softplus(z) + sign(z) + step(z) + logsumexp(z) ones"
| \operatorname{logsumexp}\left(\mathbf{z}\right) \mathbf{1}_{m} + \operatorname{softmax}\left(\mathbf{z}\right) + \operatorname{softplus}\left(\mathbf{z}\right) + \operatorname{sign}\left(\mathbf{z}\right) + \operatorname{step}\left(\mathbf{z}\right)

$ mcd -f json -wrt z "logsumexp(z)"
| {"input":"logsumexp(z)","wrt":["z"],"layout":"numerator","hessian":false,"expression":"logsumexp(z)","derivative":"softmax(z)^T","result":"softmax(z)^T","shape":["1","m"],"variables":{"z":["m","1"]},"latex":"\\operatorname{softmax}\\left(\\mathbf{z}\\right)^{\\top}","where":[]}

# a matrix argument of softmax is an error at its position
$ mcd -wrt X "softmax(X)"
|
! mcd: 1:1: error: softmax needs a column vector: X (m x n) is not one (X would need one column)
!   softmax(X)
!   ^       ~
? 1
