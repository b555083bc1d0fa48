<%@ page contentType="text/html;charset=UTF-8" session="false" trimDirectiveWhitespaces="true" %>
<%@ include file="_header.jspf" %>
<c:set var="m" value="${model}"/>
<h1>Audit</h1>
<form class="filters" id="audit-filters" method="get" action="${base}/admin/audit">
  <label>Action <select name="action"><option value="">any</option>
    <c:forEach items="${m.actions}" var="a"><option value="${fn:escapeXml(a)}" ${a == m.action ? 'selected' : ''}><c:out value="${a}"/></option></c:forEach></select></label>
  <label>Who <input type="text" name="who" value="${fn:escapeXml(m.who)}" maxlength="200"></label>
  <label>App <input type="text" name="app" value="${fn:escapeXml(m.app)}" maxlength="200"></label>
  <label>Job <input type="text" name="job" value="${fn:escapeXml(m.job)}" maxlength="200"></label>
  <label>Outcome <input type="text" name="outcome" value="${fn:escapeXml(m.outcome)}" maxlength="200"></label>
  <label>From <input type="datetime-local" name="from" value="${fn:escapeXml(m.from)}"></label>
  <label>to <input type="datetime-local" name="to" value="${fn:escapeXml(m.to)}"></label>
  <button type="submit">Filter</button>
  <a href="${base}/admin/audit">Clear</a>
  <span class="note">Times are UTC.</span>
</form>
<c:if test="${not empty m.error}"><p class="error" id="filter-error"><c:out value="${m.error}"/></p></c:if>
<div class="table-wrap"><table id="audit">
  <thead><tr><th>Time (UTC)</th><th>Who</th><th>Address</th><th>Action</th><th>App</th><th>Job</th><th>Outcome</th><th>Detail</th></tr></thead>
  <tbody>
  <c:forEach items="${m.entries}" var="e">
    <tr data-action="${fn:escapeXml(e.action)}"><td class="time"><c:out value="${e.at}"/></td><td><c:out value="${e.who}"/></td>
      <td><c:out value="${e.remoteAddress}"/></td><td><c:out value="${e.action}"/></td><td><c:out value="${e.appId}"/></td>
      <td><c:choose><c:when test="${not empty e.jobHref}"><a href="${base}/admin/${fn:escapeXml(e.jobHref)}"><c:out value="${e.jobId}"/></a></c:when><c:otherwise><c:out value="${e.jobId}"/></c:otherwise></c:choose></td>
      <td class="outcome"><c:out value="${e.outcome}"/></td><td class="message"><c:out value="${e.detail}"/></td></tr>
  </c:forEach>
  </tbody>
</table></div>
<c:if test="${empty m.entries and empty m.error}"><p class="empty">No entry matches.</p></c:if>
<p class="paging">
  <a href="${base}/admin/audit">Newest</a>
  <c:if test="${not empty m.olderHref}"><a id="older" href="${base}/admin/${fn:escapeXml(m.olderHref)}">Older entries</a></c:if>
</p>
<%@ include file="_footer.jspf" %>
