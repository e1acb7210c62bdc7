-- wrk script: POST a login for the demo customer. Set OXCART_PASSWORD to the printed password.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = string.format('{"email":"customer@oxcart.test","password":"%s"}', os.getenv("OXCART_PASSWORD") or "")
