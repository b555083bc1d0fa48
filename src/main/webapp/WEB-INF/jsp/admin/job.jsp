<%@ page contentType="text/html;charset=UTF-8" session="false" trimDirectiveWhitespaces="true" %>
<%@ include file="_header.jspf" %>
<c:set var="j" value="${model.job}"/>
<h1>Job <span id="job-id"><c:out value="${j.jobId}"/></span></h1>
<c:if test="${model.stoppable}">
  <c:choose>
    <c:when test="${frame.admin}">
      <form id="stop" class="action" method="post" action="${base}/admin/job/stop">
        <input type="hidden" name="csrf" value="${fn:escapeXml(frame.csrfToken)}">
        <input type="hidden" name="app" value="${fn:escapeXml(j.appId)}">
        <input type="hidden" name="id" value="${fn:escapeXml(j.jobId)}">
        <button type="submit" id="stop-button" class="danger">Stop job</button>
      </form>
    </c:when>
    <c:otherwise><p class="note" id="stop-needs-admin">Stopping jobs needs the role infolink-admin.</p></c:otherwise>
  </c:choose>
</c:if>
<c:set var="liveUrl">${base}/admin/job/live?app=${fn:escapeXml(j.appId)}&amp;id=${fn:escapeXml(j.jobId)}</c:set>
<div id="job-live" data-refresh="${model.finished ? '' : liveUrl}" data-refresh-seconds="1" data-reload-when-finished="true">
<%@ include file="_job-live.jspf" %>
</div>
<h2>Request</h2>
<pre class="operation" id="operation"><c:out value="${model.operation}"/></pre>
<c:if test="${model.finished}">
<h2>Results</h2>
<c:if test="${empty model.results}"><p class="empty">This job returned no result set.</p></c:if>
<c:forEach items="${model.results}" var="result">
<section class="result" id="result-${result.number}">
  <h3>Result <c:out value="${result.number}"/><c:if test="${not empty result.name}">: <c:out value="${result.name}"/></c:if></h3>
  <p class="note"><c:out value="${result.rows}"/> record(s)<c:if test="${result.rows > result.shown}">; the first <c:out value="${result.shown}"/> are shown</c:if>.</p>
  <div class="table-wrap"><table class="records">
    <thead><tr><c:forEach items="${result.columns}" var="column"><th><c:out value="${column}"/></th></c:forEach></tr></thead>
    <tbody>
    <c:forEach items="${result.records}" var="record">
      <tr><c:forEach items="${record}" var="cell"><td class="${cell.isNull ? 'null' : ''}"><c:out value="${cell.isNull ? 'NULL' : cell.text}"/></td></c:forEach></tr>
    </c:forEach>
    </tbody>
  </table></div>
</section>
</c:forEach>
</c:if>
<%@ include file="_footer.jspf" %>
