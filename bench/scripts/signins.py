# 20 threads sign in N new users (POST /auth/login) and report sign-ins per second. usage: signins.py N HTTP_PORT
import http.client,threading,time,sys,json
n=int(sys.argv[1]); port=int(sys.argv[2]); threads=20
count=[0]; lock=threading.Lock(); fails=[0]
def work(k):
    c=http.client.HTTPConnection('127.0.0.1',port,timeout=60)
    for i in range(n//threads):
        body=json.dumps({'user':'u%d_%d'%(k,i)})
        c.request('POST','/auth/login',body,{'Content-Type':'application/json'})
        r=c.getresponse(); r.read()
        if r.status>=300: fails[0]+=1
t=time.time()
ts=[threading.Thread(target=work,args=(k,)) for k in range(threads)]
[x.start() for x in ts]; [x.join() for x in ts]
el=time.time()-t
print('sign-ins: %d in %.2f s = %.0f/s, %d failed'%(n,el,n/el,fails[0]))
